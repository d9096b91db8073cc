package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.uploads;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.RegistryClient.randomBytes;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cross-repository mounts: {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repo>}. */
final class BlobMountIT {
    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void mount_blobInFromRepository_returns201AndLinksBlob() {
        String source = Repos.unique("mount-source");
        String target = Repos.unique("mount-target");
        byte[] content = randomBytes(1024);
        String digest = registry.pushBlob(source, content);

        HttpResponse<byte[]> response = mount(target, digest, source);

        assertStatus(response, 201);
        assertThat(registry.resolve(header(response, "Location")).getPath())
                .isEqualTo(blob(target, digest));
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
        HttpResponse<byte[]> pulled = registry.get(blob(target, digest));
        assertStatus(pulled, 200);
        assertThat(pulled.body()).isEqualTo(content);
    }

    @Test
    void mount_blobNotInFromRepository_returns202WithNewSession() {
        String source = Repos.unique("mount-empty-source");
        String holder = Repos.unique("mount-holder");
        String target = Repos.unique("mount-target");
        String digest = registry.pushBlob(holder, randomBytes(100));
        registry.pushBlob(source, randomBytes(100));

        HttpResponse<byte[]> response = mount(target, digest, source);

        assertStatus(response, 202);
        String location = header(response, "Location");
        assertThat(registry.resolve(location).getPath()).startsWith(uploads(target));
        assertThat(header(response, "Docker-Upload-UUID")).isNotBlank();
        assertStatus(registry.get(location), 204);
        assertStatus(registry.head(blob(target, digest)), 404);
    }

    @Test
    void mount_unknownBlob_returns202WithNewSession() {
        String source = Repos.unique("mount-source");
        String target = Repos.unique("mount-target");
        registry.pushBlob(source, randomBytes(100));
        String unknown = digest(randomBytes(100));

        HttpResponse<byte[]> response = mount(target, unknown, source);

        assertStatus(response, 202);
        assertStatus(registry.get(header(response, "Location")), 204);
    }

    @Test
    void mount_withoutFromBlobExistsElsewhereAuthOff_returns201() {
        assumeFalse(BerthExtension.authEnabled(), "with authentication on, see the next test");
        String source = Repos.unique("mount-anywhere-source");
        String target = Repos.unique("mount-anywhere-target");
        byte[] content = randomBytes(300);
        String digest = registry.pushBlob(source, content);

        HttpResponse<byte[]> response = registry.post(
                uploads(target) + "?mount=" + digest, new byte[0]);

        assertStatus(response, 201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry.get(blob(target, digest)).body()).isEqualTo(content);
    }

    /**
     * With access control on, a mount without {@code from} is not attempted: it would tell the
     * caller that a blob exists somewhere, maybe where it may not look.
     */
    @Test
    void mount_withoutFromBlobExistsElsewhereAuthOn_returns202WithoutLinking() {
        assumeTrue(BerthExtension.authEnabled(), "with authentication off, see the previous test");
        String source = Repos.unique("mount-anywhere-source");
        String target = Repos.unique("mount-anywhere-target");
        String digest = registry.pushBlob(source, randomBytes(300));

        HttpResponse<byte[]> response = registry.post(
                uploads(target) + "?mount=" + digest, new byte[0]);

        assertStatus(response, 202);
        assertThat(registry.resolve(header(response, "Location")).getPath())
                .startsWith(uploads(target));
        assertStatus(registry.head(blob(target, digest)), 404);
    }

    @Test
    void mount_withoutFromBlobUnknown_returns202() {
        String target = Repos.unique("mount-anywhere-target");
        String unknown = digest(randomBytes(300));

        HttpResponse<byte[]> response = registry.post(
                uploads(target) + "?mount=" + unknown, new byte[0]);

        assertStatus(response, 202);
        assertThat(registry.resolve(header(response, "Location")).getPath())
                .startsWith(uploads(target));
    }

    @Test
    void mount_thenDeleteFromSource_targetKeepsBlob() {
        String source = Repos.unique("mount-source");
        String target = Repos.unique("mount-target");
        byte[] content = randomBytes(200);
        String digest = registry.pushBlob(source, content);
        assertStatus(mount(target, digest, source), 201);

        HttpResponse<byte[]> deleted = registry.delete(blob(source, digest));

        assertStatus(deleted, 202);
        assertStatus(registry.head(blob(source, digest)), 404);
        assertThat(registry.get(blob(target, digest)).body()).isEqualTo(content);
    }

    private HttpResponse<byte[]> mount(String target, String digest, String from) {
        return registry.post(uploads(target) + "?mount=" + digest + "&from=" + from, new byte[0]);
    }
}
