package dev.berth.it;

import static dev.berth.it.Api.blob;
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

/** Reading blobs whole and by byte range, the errors around them, and deleting them. */
final class BlobPullIT {
    private static final int SIZE = 1000;

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void getBlob_pushed_returnsExactBytesAndHeaders() {
        String repo = Repos.unique("pull");
        byte[] content = randomBytes(SIZE);
        String digest = registry.pushBlob(repo, content);

        HttpResponse<byte[]> response = registry.get(blob(repo, digest));

        assertStatus(response, 200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    }

    @Test
    void headBlob_pushed_returnsHeadersWithoutBody() {
        String repo = Repos.unique("head");
        String digest = registry.pushBlob(repo, randomBytes(SIZE));

        HttpResponse<byte[]> response = registry.head(blob(repo, digest));

        assertStatus(response, 200);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    }

    @Test
    void getBlob_rangeFromStart_returns206WithThoseBytes() {
        String repo = Repos.unique("range");
        byte[] content = randomBytes(SIZE);
        String digest = registry.pushBlob(repo, content);

        HttpResponse<byte[]> response = registry.get(blob(repo, digest), "Range", "bytes=0-9");

        assertStatus(response, 206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 0-9/" + SIZE);
        assertThat(header(response, "Content-Length")).isEqualTo("10");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, 0, 10));
    }

    @Test
    void getBlob_rangeInTheMiddle_returns206WithThoseBytes() {
        String repo = Repos.unique("range-middle");
        byte[] content = randomBytes(SIZE);
        String digest = registry.pushBlob(repo, content);

        HttpResponse<byte[]> response = registry.get(blob(repo, digest),
                "Range", "bytes=100-199");

        assertStatus(response, 206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 100-199/" + SIZE);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));
    }

    @Test
    void getBlob_suffixRange_returns206WithLastBytes() {
        String repo = Repos.unique("range-suffix");
        byte[] content = randomBytes(SIZE);
        String digest = registry.pushBlob(repo, content);

        HttpResponse<byte[]> response = registry.get(blob(repo, digest), "Range", "bytes=-5");

        assertStatus(response, 206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 995-999/" + SIZE);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, SIZE - 5, SIZE));
    }

    @Test
    void getBlob_openEndedRange_returns206ToTheEnd() {
        String repo = Repos.unique("range-open");
        byte[] content = randomBytes(SIZE);
        String digest = registry.pushBlob(repo, content);

        HttpResponse<byte[]> response = registry.get(blob(repo, digest), "Range", "bytes=5-");

        assertStatus(response, 206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 5-999/" + SIZE);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, 5, SIZE));
    }

    @Test
    void getBlob_rangeStartingAtSize_returns416() {
        String repo = Repos.unique("range-unsatisfiable");
        String digest = registry.pushBlob(repo, randomBytes(SIZE));

        HttpResponse<byte[]> response = registry.get(blob(repo, digest),
                "Range", "bytes=" + SIZE + "-");

        assertStatus(response, 416);
    }

    @Test
    void getBlob_unknownDigest_failsBlobUnknown() {
        String repo = Repos.unique("unknown-blob");
        registry.pushBlob(repo, randomBytes(10));

        HttpResponse<byte[]> response = registry.get(blob(repo, digest(randomBytes(10))));

        assertError(response, 404, "BLOB_UNKNOWN");
    }

    @Test
    void getBlob_pushedToAnotherRepositoryOnly_failsBlobUnknown() {
        String owner = Repos.unique("owner");
        String other = Repos.unique("other");
        String digest = registry.pushBlob(owner, randomBytes(100));
        registry.pushBlob(other, randomBytes(100));

        HttpResponse<byte[]> get = registry.get(blob(other, digest));
        HttpResponse<byte[]> head = registry.head(blob(other, digest));

        assertError(get, 404, "BLOB_UNKNOWN");
        assertStatus(head, 404);
    }

    @Test
    void getBlob_malformedDigest_failsDigestInvalid() {
        String repo = Repos.unique("bad-digest");

        HttpResponse<byte[]> response = registry.get(blob(repo, "sha256:xyz"));

        assertError(response, 400, "DIGEST_INVALID");
    }

    @Test
    void deleteBlob_pushed_returns202ThenUnknown() {
        String repo = Repos.unique("delete-blob");
        String digest = registry.pushBlob(repo, randomBytes(100));

        HttpResponse<byte[]> response = registry.delete(blob(repo, digest));

        assertStatus(response, 202);
        assertError(registry.get(blob(repo, digest)), 404, "BLOB_UNKNOWN");
        assertStatus(registry.head(blob(repo, digest)), 404);
    }

    @Test
    void deleteBlob_unknown_failsBlobUnknown() {
        String repo = Repos.unique("delete-unknown");
        registry.pushBlob(repo, randomBytes(10));

        HttpResponse<byte[]> response = registry.delete(blob(repo, digest(randomBytes(10))));

        assertError(response, 404, "BLOB_UNKNOWN");
    }
}
