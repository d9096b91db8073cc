package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes 1 GiB blobs, monolithic and chunked, to a server whose heap is capped at 128 MiB. The
 * pushes can only succeed if upload bodies stream to disk instead of being buffered; the server
 * is told to exit on any out-of-memory error, which would fail the test.
 */
class LargeBlobIT {
    private static final long GIB = 1L << 30;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path data;

    private static BerthProcess berth;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        berth = BerthProcess.start(data, "-Xmx128m", "-XX:MaxDirectMemorySize=64m",
                "-XX:+ExitOnOutOfMemoryError");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    @Test
    void monolithicPost_oneGibibyte_storedWithinSmallHeap() throws Exception {
        GeneratedContent content = new GeneratedContent(GIB, 1);
        String digest = content.digest();

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v2/big/mono/blobs/uploads/?digest=" + digest))
                .POST(body(content, 0, GIB)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        assertBlob("big/mono", digest, GIB);
        assertThat(berth.isAlive()).as(berth.recentOutput()).isTrue();
    }

    @Test
    void chunkedPatch_oneGibibyteInFourChunks_storedAndReadBackIntact() throws Exception {
        GeneratedContent content = new GeneratedContent(GIB, 2);
        String digest = content.digest();
        HttpResponse<String> started = send(HttpRequest.newBuilder(uri("/v2/big/chunked/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        String location = started.headers().firstValue("Location").orElseThrow();
        long chunk = GIB / 4;

        for (long offset = 0; offset < GIB; offset += chunk) {
            HttpResponse<String> patched = send(HttpRequest.newBuilder(uri(location))
                    .method("PATCH", body(content, offset, offset + chunk))
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", offset + "-" + (offset + chunk - 1)));
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(202);
            assertThat(patched.headers().firstValue("Range")).hasValue("0-" + (offset + chunk - 1));
        }
        HttpResponse<String> finished = send(HttpRequest.newBuilder(uri(location + "?digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.noBody()));

        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(201);
        assertBlob("big/chunked", digest, GIB);
        assertThat(download("big/chunked", digest)).isEqualTo(digest);
        assertThat(berth.isAlive()).as(berth.recentOutput()).isTrue();
    }

    private static void assertBlob(String repository, String digest, long size) throws Exception {
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(size);
    }

    private static String download(String repository, String digest) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                uri("/v2/" + repository + "/blobs/" + digest)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = response.body()) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, read);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    private static HttpRequest.BodyPublisher body(GeneratedContent content, long from, long to) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> content.stream(from, to)), to - from);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String pathOrLocation) {
        return berth.baseUri().resolve(pathOrLocation);
    }
}
