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
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chunked uploads: streamed and ranged PATCHes, their order, progress and the final PUT. */
final class BlobUploadChunkIT {
    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void patch_streamedWithoutContentRange_returns202WithRange() {
        String repo = Repos.unique("streamed");
        String location = registry.startUpload(repo);

        HttpResponse<byte[]> response = registry.patchStreamed(location, randomBytes(1000));

        assertStatus(response, 202);
        assertThat(header(response, "Range")).isEqualTo("0-999");
        assertThat(header(response, "Location")).isNotBlank();
        assertThat(header(response, "Docker-Upload-UUID")).isNotBlank();
    }

    @Test
    void patch_contentRangeChunksInOrder_returns202WithGrowingRange() {
        String repo = Repos.unique("ranged");
        byte[] content = randomBytes(250);
        String location = registry.startUpload(repo);

        HttpResponse<byte[]> first = patchRange(location, content, 0, 100);
        HttpResponse<byte[]> second = patchRange(header(first, "Location"), content, 100, 250);

        assertStatus(first, 202);
        assertThat(header(first, "Range")).isEqualTo("0-99");
        assertStatus(second, 202);
        assertThat(header(second, "Range")).isEqualTo("0-249");
    }

    @Test
    void patch_chunkStartingPastReceivedBytes_returns416() {
        String repo = Repos.unique("gap");
        byte[] content = randomBytes(300);
        String location = registry.startUpload(repo);
        assertStatus(patchRange(location, content, 0, 100), 202);

        HttpResponse<byte[]> response = patchRange(location, content, 150, 250);

        assertStatus(response, 416);
    }

    @Test
    void patch_chunkOverlappingReceivedBytes_returns416() {
        String repo = Repos.unique("overlap");
        byte[] content = randomBytes(300);
        String location = registry.startUpload(repo);
        assertStatus(patchRange(location, content, 0, 100), 202);

        HttpResponse<byte[]> response = patchRange(location, content, 50, 150);

        assertStatus(response, 416);
    }

    @Test
    void patch_rejectedChunk_keepsEarlierBytes() {
        String repo = Repos.unique("after-416");
        byte[] content = randomBytes(300);
        String location = registry.startUpload(repo);
        assertStatus(patchRange(location, content, 0, 100), 202);
        assertStatus(patchRange(location, content, 200, 300), 416);

        HttpResponse<byte[]> resumed = patchRange(location, content, 100, 300);
        HttpResponse<byte[]> committed = registry.commit(location, digest(content), new byte[0]);

        assertStatus(resumed, 202);
        assertStatus(committed, 201);
        assertThat(registry.get(blob(repo, digest(content))).body()).isEqualTo(content);
    }

    @Test
    void getUpload_afterChunk_returns204WithRange() {
        String repo = Repos.unique("progress");
        String location = registry.startUpload(repo);
        assertStatus(registry.patchStreamed(location, randomBytes(100)), 202);

        HttpResponse<byte[]> response = registry.get(location);

        assertStatus(response, 204);
        assertThat(header(response, "Range")).isEqualTo("0-99");
        assertThat(header(response, "Docker-Upload-UUID")).isNotBlank();
        assertThat(header(response, "Location")).isNotBlank();
    }

    @Test
    void getUpload_freshSession_returns204WithEmptyRange() {
        String repo = Repos.unique("progress-empty");
        String location = registry.startUpload(repo);

        HttpResponse<byte[]> response = registry.get(location);

        assertStatus(response, 204);
        assertThat(header(response, "Range")).isEqualTo("0-0");
    }

    @Test
    void putUpload_withFinalChunk_returns201AndStoresAllBytes() {
        String repo = Repos.unique("final-chunk");
        byte[] content = randomBytes(5000);
        String digest = digest(content);
        String location = registry.startUpload(repo);
        HttpResponse<byte[]> first = patchRange(location, content, 0, 3000);
        assertStatus(first, 202);

        HttpResponse<byte[]> response = registry.commit(header(first, "Location"), digest,
                Arrays.copyOfRange(content, 3000, 5000), "Content-Range", "3000-4999");

        assertStatus(response, 201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry.get(blob(repo, digest)).body()).isEqualTo(content);
    }

    @Test
    void putUpload_withoutFinalChunk_returns201AndStoresAllBytes() {
        String repo = Repos.unique("no-final-chunk");
        byte[] content = randomBytes(70_000);
        String digest = digest(content);
        String location = registry.startUpload(repo);
        byte[] first = Arrays.copyOfRange(content, 0, 30_000);
        byte[] second = Arrays.copyOfRange(content, 30_000, content.length);
        assertStatus(registry.patchStreamed(location, first), 202);
        assertStatus(registry.patchStreamed(location, second), 202);

        HttpResponse<byte[]> response = registry.commit(location, digest, new byte[0]);

        assertStatus(response, 201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry.get(blob(repo, digest)).body()).isEqualTo(content);
    }

    @Test
    void getUpload_afterCommit_failsBlobUploadUnknown() {
        String repo = Repos.unique("committed");
        byte[] content = randomBytes(10);
        String location = registry.startUpload(repo);
        assertStatus(registry.commit(location, digest(content), content), 201);

        HttpResponse<byte[]> response = registry.get(location);

        assertError(response, 404, "BLOB_UPLOAD_UNKNOWN");
    }

    /** PATCHes bytes {@code [from, to)} of {@code content} with a {@code Content-Range}. */
    private HttpResponse<byte[]> patchRange(String location, byte[] content, int from, int to) {
        byte[] chunk = Arrays.copyOfRange(content, from, to);
        return registry.patch(location, chunk, "Content-Type", OCTET_STREAM,
                "Content-Range", from + "-" + (to - 1));
    }
}
