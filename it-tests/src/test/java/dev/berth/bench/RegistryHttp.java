package dev.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The registry API calls the workloads make, over one HTTP/1.1 client with keep-alive. Every
 * call has a timeout; an unexpected status fails the call with the status and body.
 *
 * <p>Upload locations are followed as each answer gives them: Distribution's change with every
 * chunk (they carry the upload state), Berth's do not.
 */
final class RegistryHttp implements AutoCloseable {
    static final String OCTET_STREAM = "application/octet-stream";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LARGE_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final ExecutorService executor = Executors.newCachedThreadPool(RegistryHttp::daemon);
    private final HttpClient http;

    RegistryHttp(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .executor(executor)
                .build();
    }

    /** One page of a listing, with the path of the next one when the server pages. */
    record Page(JsonNode body, Optional<String> next) {
    }

    /** Whether {@code HEAD} of the blob answers {@code 200}. */
    boolean blobExists(String repository, String digest) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/" + digest)
                .method("HEAD", BodyPublishers.noBody()), 200, 404);
        return response.statusCode() == 200;
    }

    /** Pushes {@code blob} the monolithic way: {@code POST} an upload, then {@code PUT} it all. */
    void pushBlob(String repository, Blob blob) {
        String location = startUpload(repository);
        Duration timeout = blob.size() > 1 << 20 ? LARGE_TIMEOUT : TIMEOUT;
        send(HttpRequest.newBuilder(base.resolve(withDigest(location, blob.digest())))
                .timeout(timeout)
                .header("Content-Type", OCTET_STREAM)
                .PUT(BodyPublishers.ofByteArray(blob.bytes())), 201);
    }

    /** Links a blob held by repository {@code from} into {@code repository}. */
    void mountBlob(String repository, String digest, String from) {
        send(request("/v2/" + repository + "/blobs/uploads/?mount=" + digest + "&from=" + from)
                .POST(BodyPublishers.noBody()), 201);
    }

    /** Pushes every blob of {@code image} the registry does not have yet, then its manifest. */
    void pushImage(String repository, String tag, Image image) {
        for (Blob blob : image.blobs()) {
            if (!blobExists(repository, blob.digest())) {
                pushBlob(repository, blob);
            }
        }
        putManifest(repository, tag, image.manifest());
    }

    /** {@code PUT} of an OCI image manifest under {@code reference} (a tag or its digest). */
    void putManifest(String repository, String reference, Blob manifest) {
        send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", Image.MANIFEST_TYPE)
                .PUT(BodyPublishers.ofByteArray(manifest.bytes())), 201);
    }

    /** {@code GET path} with OCI manifests accepted; fails unless the answer is {@code 200}. */
    byte[] get(String path) {
        return send(request(path).header("Accept", Image.MANIFEST_TYPE).GET(), 200).body();
    }

    /** {@code GET} of one page of a listing. */
    Page page(String path) {
        HttpResponse<byte[]> response = send(request(path).GET(), 200);
        try {
            JsonNode body = JSON.readTree(response.body());
            Optional<String> next = response.headers().firstValue("Link").map(RegistryHttp::target);
            return new Page(body, next);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " answered no JSON", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private String startUpload(String repository) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/uploads/")
                .POST(BodyPublishers.noBody()), 202);
        return location(response);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder, int... expected) {
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " "
                    + request.uri(), e);
        }
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response;
            }
        }
        throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                + response.statusCode() + " (expected: " + Arrays.toString(expected) + "): "
                + new String(response.body(), StandardCharsets.UTF_8));
    }

    private static String location(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException(response.request().method() + " "
                        + response.request().uri() + " answered no Location"));
    }

    /** {@code location} with the {@code digest} query parameter that finishes an upload. */
    static String withDigest(String location, String digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    }

    private static String target(String link) {
        return link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "bench-http");
        thread.setDaemon(true);
        return thread;
    }
}
