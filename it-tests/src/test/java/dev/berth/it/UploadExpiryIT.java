package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.RegistryClient.OCTET_STREAM;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.RegistryClient.randomBytes;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upload sessions idle for longer than {@code uploads.expireAfter} (2 s here; the server looks
 * every quarter of that) are deleted with their files; a session that keeps receiving chunks is
 * not, however long it lasts in all.
 */
final class UploadExpiryIT {
    private static final Duration EXPIRY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PATCH_INTERVAL = Duration.ofMillis(500);
    private static final int PATCHES = 9;
    private static final int CHUNK = 16 * 1024;

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--config",
            GcConfig.immediate()
                    .expireUploadsAfter("2s")
                    .write(dir.resolve("berth.yaml"))
                    .toString()));

    private final RegistryClient registry = BERTH.client();

    @Test
    void expiry_idleUploadWithOneChunk_answers404AndDeletesItsFile() {
        String location = registry.startUpload(Repos.unique("expiry-idle"));
        HttpResponse<byte[]> chunk = registry.patch(location, randomBytes(CHUNK),
                "Content-Type", OCTET_STREAM, "Content-Range", "0-" + (CHUNK - 1));
        assertStatus(chunk, 202);
        Path file = BERTH.process().data().resolve("uploads")
                .resolve(header(chunk, "Docker-Upload-UUID"));
        assertThat(file).exists();

        HttpResponse<byte[]> expired = Poll.until("expiry of " + location, EXPIRY_TIMEOUT,
                () -> registry.get(location), response -> response.statusCode() != 204);

        assertError(expired, 404, "BLOB_UPLOAD_UNKNOWN");
        Poll.until("deletion of " + file, EXPIRY_TIMEOUT, () -> Files.exists(file),
                exists -> !exists);
        HttpResponse<byte[]> late = registry.patch(location, randomBytes(CHUNK),
                "Content-Type", OCTET_STREAM, "Content-Range", CHUNK + "-" + (2 * CHUNK - 1));
        assertError(late, 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void expiry_uploadPatchedEvery500Millis_survivesAndCommits() {
        String repo = Repos.unique("expiry-busy");
        byte[] content = randomBytes(PATCHES * CHUNK);
        String location = registry.startUpload(repo);
        long started = System.nanoTime();

        for (int i = 0; i < PATCHES; i++) {
            Poll.untilNanoTime(started + i * PATCH_INTERVAL.toNanos());
            int from = i * CHUNK;
            HttpResponse<byte[]> chunk = registry.patch(location,
                    Arrays.copyOfRange(content, from, from + CHUNK), "Content-Type", OCTET_STREAM,
                    "Content-Range", from + "-" + (from + CHUNK - 1));
            assertStatus(chunk, 202);
            location = header(chunk, "Location");
        }
        HttpResponse<byte[]> committed = registry.commit(location, digest(content), new byte[0]);

        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThan(Duration.ofSeconds(4));
        assertStatus(committed, 201);
        HttpResponse<byte[]> pulled = registry.get(blob(repo, digest(content)));
        assertStatus(pulled, 200);
        assertThat(pulled.body()).isEqualTo(content);
    }
}
