package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.tags;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.stringArray;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a registry holds survives a restart on the same data directory and a cold cache. */
final class PersistenceIT {
    @TempDir
    Path data;

    @Test
    void restart_samePushedImage_isServedUnchanged() {
        String repo = Repos.unique("persist");
        byte[] layer = RegistryClient.randomBytes(100_000);
        String layerDigest;
        Descriptor image;
        byte[] manifest;
        try (BerthProcess first = BerthProcess.start(data)) {
            RegistryClient registry = new RegistryClient(first.baseUri());
            layerDigest = registry.pushBlob(repo, layer);
            image = registry.pushImage(repo, "v1");
            manifest = registry.get(manifest(repo, "v1")).body();
        }

        try (BerthProcess second = BerthProcess.start(data)) {
            RegistryClient registry = new RegistryClient(second.baseUri());
            HttpResponse<byte[]> byTag = registry.get(manifest(repo, "v1"));
            HttpResponse<byte[]> byDigest = registry.get(manifest(repo, image.digest()));
            HttpResponse<byte[]> blob = registry.get(blob(repo, layerDigest));

            assertStatus(byTag, 200);
            assertThat(byTag.body()).isEqualTo(manifest);
            assertThat(header(byTag, "Docker-Content-Digest")).isEqualTo(image.digest());
            assertThat(header(byTag, "Content-Type")).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertStatus(byDigest, 200);
            assertThat(byDigest.body()).isEqualTo(manifest);
            assertStatus(blob, 200);
            assertThat(blob.body()).isEqualTo(layer);
            assertThat(stringArray(registry.get(tags(repo)), "tags")).containsExactly("v1");
        }
    }

    @Test
    void restart_afterDeletes_deletedContentStaysGone() {
        String repo = Repos.unique("persist-delete");
        String blobDigest;
        Descriptor kept;
        Descriptor deleted;
        BerthProcess berth = BerthProcess.start(data);
        try {
            RegistryClient registry = new RegistryClient(berth.baseUri());
            blobDigest = registry.pushBlob(repo, RegistryClient.randomBytes(500));
            kept = registry.pushImage(repo, "kept");
            deleted = registry.pushImage(repo, "deleted");
            assertStatus(registry.delete(manifest(repo, deleted.digest())), 202);
            assertStatus(registry.delete(blob(repo, blobDigest)), 202);

            berth = berth.restart();

            registry = new RegistryClient(berth.baseUri());
            assertError(registry.get(manifest(repo, "deleted")), 404, "MANIFEST_UNKNOWN");
            assertError(registry.get(manifest(repo, deleted.digest())), 404, "MANIFEST_UNKNOWN");
            assertError(registry.get(blob(repo, blobDigest)), 404, "BLOB_UNKNOWN");
            assertThat(header(registry.get(manifest(repo, "kept")), "Docker-Content-Digest"))
                    .isEqualTo(kept.digest());
        } finally {
            berth.close();
        }
    }
}
