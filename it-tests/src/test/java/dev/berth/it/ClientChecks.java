package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.tags;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;

/** What the tests of real clients check on the server after a client has run. */
final class ClientChecks {
    /** Every manifest type, as pulling clients list them in {@code Accept}. */
    static final String ACCEPT_MANIFESTS = String.join(", ", MediaTypes.OCI_MANIFEST,
            MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_LIST);

    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);
    private static final long LOG_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private ClientChecks() {
    }

    /**
     * GETs manifest {@code reference} of {@code repo} accepting every manifest type, checks it is
     * served, and that {@code Docker-Content-Digest} is the digest of the bytes served.
     */
    static HttpResponse<byte[]> servedManifest(RegistryClient registry, String repo,
            String reference) {
        HttpResponse<byte[]> response = registry.get(manifest(repo, reference),
                "Accept", ACCEPT_MANIFESTS);

        assertStatus(response, 200);
        assertThat(header(response, "Docker-Content-Digest"))
                .as(() -> "digest header of " + Responses.describe(response))
                .isEqualTo(RegistryClient.digest(response.body()));
        return response;
    }

    /** Checks that {@code HEAD /v2/<repo>/blobs/<digest>} finds the blob with its size. */
    static void assertBlobPresent(RegistryClient registry, String repo, Descriptor descriptor) {
        HttpResponse<byte[]> response = registry.head(blob(repo, descriptor.digest()));

        assertStatus(response, 200);
        assertThat(header(response, "Content-Length"))
                .as(() -> "size of " + descriptor.digest() + " in " + repo)
                .isEqualTo(Long.toString(descriptor.size()));
    }

    /** The layers a served image manifest lists. */
    static List<Descriptor> layers(HttpResponse<byte[]> manifest) {
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode layer : Responses.json(manifest).path("layers")) {
            layers.add(new Descriptor(layer.path("mediaType").asText(),
                    layer.path("digest").asText(), layer.path("size").asLong()));
        }
        assertThat(layers)
                .as(() -> "layers of " + Responses.describe(manifest))
                .isNotEmpty();
        return layers;
    }

    /** The tags of {@code repo}, as the server lists them. */
    static List<String> tagList(RegistryClient registry, String repo) {
        HttpResponse<byte[]> response = registry.get(tags(repo));

        assertStatus(response, 200);
        return Responses.stringArray(response, "tags");
    }

    /** {@code digest} as it appears in a query string, and so in an access-log line. */
    static String queryEncoded(String digest) {
        return URLEncoder.encode(digest, StandardCharsets.UTF_8);
    }

    /**
     * The server's recent access-log lines, up to and including the requests made so far.
     *
     * <p>The server writes a log line after answering, and its output is read by another thread,
     * so the last line a client caused may not have arrived yet. This sends one more request
     * whose path is unique and waits (at most 10 s) for its line; every request answered before
     * it is logged before it.
     */
    static List<String> accessLogSoFar(BerthExtension berth) {
        String marker = "it/log-marker-" + UUID.randomUUID();
        berth.client().get(tags(marker));

        long deadline = System.nanoTime() + LOG_TIMEOUT.toNanos();
        long polls = LOG_TIMEOUT.toNanos() / LOG_POLL_NANOS;
        for (long poll = 0; poll <= polls && System.nanoTime() < deadline; poll++) {
            String output = berth.process().recentOutput();
            if (output.contains("uri=" + tags(marker))) {
                return Arrays.asList(output.split("\\R"));
            }
            LockSupport.parkNanos(LOG_POLL_NANOS);
        }
        throw new AssertionError("the server did not log GET " + tags(marker) + " within "
                + LOG_TIMEOUT.toSeconds() + " s; its output:\n" + berth.process().recentOutput());
    }
}
