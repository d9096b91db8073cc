package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.uploads;
import static dev.berth.it.RegistryClient.OCTET_STREAM;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.RegistryClient.randomBytes;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Opening, committing, cancelling and addressing upload sessions, and monolithic POST uploads. */
final class BlobUploadSessionIT {
    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void postUpload_noDigest_returns202WithSession() {
        String repo = Repos.unique("session");

        HttpResponse<byte[]> response = registry.post(uploads(repo), new byte[0]);

        assertStatus(response, 202);
        String uuid = header(response, "Docker-Upload-UUID");
        assertThat(uuid).isNotBlank();
        assertThat(registry.resolve(header(response, "Location")).getPath())
                .startsWith(uploads(repo))
                .contains(uuid);
        assertThat(header(response, "Range")).isEqualTo("0-0");
    }

    @Test
    void postUpload_monolithicWithDigest_returns201() {
        String repo = Repos.unique("monolithic");
        byte[] content = randomBytes(4096);
        String digest = digest(content);

        HttpResponse<byte[]> response = registry.post(uploads(repo) + "?digest=" + digest,
                content, "Content-Type", OCTET_STREAM);

        assertStatus(response, 201);
        assertThat(registry.resolve(header(response, "Location")).getPath())
                .isEqualTo(blob(repo, digest));
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry.get(blob(repo, digest)).body()).isEqualTo(content);
    }

    @Test
    void postUpload_monolithicWrongDigest_failsDigestInvalid() {
        String repo = Repos.unique("monolithic-wrong");
        byte[] content = randomBytes(100);
        String wrong = digest(randomBytes(100));

        HttpResponse<byte[]> response = registry.post(uploads(repo) + "?digest=" + wrong,
                content, "Content-Type", OCTET_STREAM);

        assertError(response, 400, "DIGEST_INVALID");
        assertStatus(registry.head(blob(repo, wrong)), 404);
        assertStatus(registry.head(blob(repo, digest(content))), 404);
    }

    @Test
    void putUpload_wholeBlobInPut_returns201() {
        String repo = Repos.unique("post-put");
        byte[] content = randomBytes(3000);
        String digest = digest(content);
        String location = registry.startUpload(repo);

        HttpResponse<byte[]> response = registry.commit(location, digest, content);

        assertStatus(response, 201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry.resolve(header(response, "Location")).getPath())
                .isEqualTo(blob(repo, digest));
        assertThat(registry.get(blob(repo, digest)).body()).isEqualTo(content);
    }

    @Test
    void putUpload_wrongDigest_failsDigestInvalidAndDiscardsUpload() {
        String repo = Repos.unique("wrong-digest");
        byte[] content = randomBytes(2048);
        String wrong = digest(randomBytes(2048));
        String location = registry.startUpload(repo);
        assertStatus(registry.patchStreamed(location, content), 202);

        HttpResponse<byte[]> response = registry.commit(location, wrong, new byte[0]);

        assertError(response, 400, "DIGEST_INVALID");
        assertStatus(registry.head(blob(repo, wrong)), 404);
        assertStatus(registry.head(blob(repo, digest(content))), 404);
        assertError(registry.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void putUpload_noDigestParameter_failsDigestInvalid() {
        String repo = Repos.unique("no-digest");
        String location = registry.startUpload(repo);
        byte[] content = randomBytes(10);

        HttpResponse<byte[]> response = registry.put(location, content,
                "Content-Type", OCTET_STREAM);

        assertError(response, 400, "DIGEST_INVALID");
    }

    @Test
    void putUpload_malformedDigest_failsDigestInvalid() {
        String repo = Repos.unique("bad-digest");
        String location = registry.startUpload(repo);

        HttpResponse<byte[]> response = registry.commit(location, "sha256:xyz", randomBytes(10));

        assertError(response, 400, "DIGEST_INVALID");
    }

    @Test
    void putUpload_committedTwice_secondFailsBlobUploadUnknown() {
        String repo = Repos.unique("commit-twice");
        byte[] content = randomBytes(50);
        String location = registry.startUpload(repo);
        assertStatus(registry.commit(location, digest(content), content), 201);

        HttpResponse<byte[]> response = registry.commit(location, digest(content), content);

        assertError(response, 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void deleteUpload_openSession_returns204AndForgetsIt() {
        String repo = Repos.unique("cancel");
        String location = registry.startUpload(repo);
        assertStatus(registry.patchStreamed(location, randomBytes(100)), 202);

        HttpResponse<byte[]> response = registry.delete(location);

        assertStatus(response, 204);
        assertError(registry.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.patchStreamed(location, randomBytes(10)), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void patchUpload_afterCommit_failsBlobUploadUnknownAndStoresNothing() {
        String repo = Repos.unique("patch-after-commit");
        byte[] content = randomBytes(100);
        String location = registry.startUpload(repo);
        HttpResponse<byte[]> patched = registry.patchStreamed(location, content);
        assertStatus(registry.commit(header(patched, "Location"), digest(content), new byte[0]), 201);

        HttpResponse<byte[]> late = registry.patchStreamed(header(patched, "Location"), randomBytes(10));

        assertError(late, 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(registry.get(blob(repo, digest(content))).body()).isEqualTo(content);
    }

    @Test
    void getUpload_unknownId_failsBlobUploadUnknown() {
        String repo = Repos.unique("unknown-upload");
        String location = uploads(repo) + UUID.randomUUID();

        HttpResponse<byte[]> response = registry.get(location);

        assertError(response, 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void patchAndPutUpload_unknownId_failBlobUploadUnknown() {
        String repo = Repos.unique("unknown-upload");
        String location = uploads(repo) + UUID.randomUUID();
        byte[] content = randomBytes(10);

        HttpResponse<byte[]> patch = registry.patchStreamed(location, content);
        HttpResponse<byte[]> put = registry.commit(location, digest(content), content);
        HttpResponse<byte[]> delete = registry.delete(location);

        assertError(patch, 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(put, 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(delete, 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void upload_underAnotherRepository_returns404() {
        String repo = Repos.unique("owner");
        String other = Repos.unique("intruder");
        byte[] content = randomBytes(64);
        String location = registry.resolve(registry.startUpload(repo)).toString()
                .replace("/v2/" + repo + "/", "/v2/" + other + "/");

        HttpResponse<byte[]> status = registry.get(location);
        HttpResponse<byte[]> patch = registry.patchStreamed(location, content);
        HttpResponse<byte[]> put = registry.commit(location, digest(content), content);

        assertError(status, 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(patch, 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(put, 404, "BLOB_UPLOAD_UNKNOWN");
        assertStatus(registry.head(blob(other, digest(content))), 404);
    }
}
