package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.uploads;
import static dev.berth.it.RegistryClient.OCTET_STREAM;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.RegistryClient.randomBytes;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several clients pushing to one repository at once, as parallel CI jobs do. */
final class ConcurrentPushIT {
    private static final long TASK_TIMEOUT_SECONDS = 120;
    private static final int CHUNK = 64 * 1024;

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void postUpload_sameBlobFrom16Clients_allSucceed() throws Exception {
        String repo = Repos.unique("same-blob");
        byte[] content = randomBytes(256 * 1024);
        String digest = digest(content);

        List<HttpResponse<byte[]>> responses = concurrently(16, client -> registry.post(
                uploads(repo) + "?digest=" + digest, content, "Content-Type", OCTET_STREAM));

        assertThat(responses).allSatisfy(response -> assertStatus(response, 201));
        HttpResponse<byte[]> pulled = registry.get(blob(repo, digest));
        assertStatus(pulled, 200);
        assertThat(pulled.body()).isEqualTo(content);
    }

    @Test
    void putManifest_16ManifestsToOneTag_allSucceedAndTagPointsToOne() throws Exception {
        String repo = Repos.unique("same-tag");
        Descriptor layer = registry.pushBlob(repo, MediaTypes.OCI_LAYER, "shared layer");
        List<byte[]> manifests = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Descriptor config = registry.pushBlob(repo, MediaTypes.OCI_CONFIG, Manifests.config());
            manifests.add(Manifests.image(config, layer).getBytes(StandardCharsets.UTF_8));
        }

        List<HttpResponse<byte[]>> responses = concurrently(16, client -> registry.putManifest(
                repo, "latest", MediaTypes.OCI_MANIFEST, manifests.get(client)));

        assertThat(responses).allSatisfy(response -> assertStatus(response, 201));
        List<String> digests = manifests.stream().map(RegistryClient::digest).toList();
        HttpResponse<byte[]> latest = registry.get(manifest(repo, "latest"));
        assertStatus(latest, 200);
        assertThat(header(latest, "Docker-Content-Digest")).isIn(digests);
        assertThat(digest(latest.body())).isEqualTo(header(latest, "Docker-Content-Digest"));
        for (int i = 0; i < manifests.size(); i++) {
            HttpResponse<byte[]> byDigest = registry.get(manifest(repo, digests.get(i)));
            assertStatus(byDigest, 200);
            assertThat(byDigest.body()).isEqualTo(manifests.get(i));
        }
    }

    @Test
    void patchUpload_8DistinctChunkedBlobs_allStoredIntact() throws Exception {
        String repo = Repos.unique("chunked-parallel");
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            blobs.add(randomBytes(4 * CHUNK + 1234));
        }

        List<HttpResponse<byte[]>> responses = concurrently(8, client ->
                pushChunked(repo, blobs.get(client)));

        assertThat(responses).allSatisfy(response -> assertStatus(response, 201));
        for (byte[] blob : blobs) {
            HttpResponse<byte[]> pulled = registry.get(blob(repo, digest(blob)));
            assertStatus(pulled, 200);
            assertThat(pulled.body()).isEqualTo(blob);
        }
    }

    /** Uploads {@code content} in ranged PATCHes of {@value #CHUNK} bytes and commits it. */
    private HttpResponse<byte[]> pushChunked(String repo, byte[] content) {
        String location = registry.startUpload(repo);
        for (int from = 0; from < content.length; from += CHUNK) {
            int to = Math.min(from + CHUNK, content.length);
            byte[] bytes = Arrays.copyOfRange(content, from, to);
            HttpResponse<byte[]> chunk = registry.patch(location, bytes,
                    "Content-Type", OCTET_STREAM, "Content-Range", from + "-" + (to - 1));
            assertStatus(chunk, 202);
            location = header(chunk, "Location");
        }
        return registry.commit(location, digest(content), new byte[0]);
    }

    /**
     * Runs {@code task} for clients 0 to {@code clients - 1} on as many threads, released
     * together, and returns their results in client order.
     */
    private static <T> List<T> concurrently(int clients, IntFunction<T> task)
            throws InterruptedException, ExecutionException, TimeoutException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                futures.add(pool.submit(() -> {
                    start.await(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return task.apply(client);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
