package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.tags;
import static dev.berth.it.MediaTypes.OCI_MANIFEST;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.stringArray;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deleting tags and manifests, and what stays readable afterwards. */
final class ManifestDeleteIT {
    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void deleteManifest_byTag_removesTagButKeepsManifest() {
        String repo = Repos.unique("untag");
        Descriptor image = registry.pushImage(repo, "v1");
        registry.pushImage(repo, "keep");
        // Reading the tag first puts it in the tag cache, which the delete must invalidate.
        assertStatus(registry.get(manifest(repo, "v1")), 200);

        HttpResponse<byte[]> response = registry.delete(manifest(repo, "v1"));

        assertStatus(response, 202);
        assertError(registry.get(manifest(repo, "v1")), 404, "MANIFEST_UNKNOWN");
        HttpResponse<byte[]> byDigest = registry.get(manifest(repo, image.digest()));
        assertStatus(byDigest, 200);
        assertThat(header(byDigest, "Docker-Content-Digest")).isEqualTo(image.digest());
        assertThat(stringArray(registry.get(tags(repo)), "tags")).containsExactly("keep");
    }

    @Test
    void deleteManifest_byDigest_removesManifestAndEveryTagOnIt() {
        String repo = Repos.unique("delete-manifest");
        Descriptor image = registry.pushImage(repo, "v1");
        byte[] body = registry.get(manifest(repo, "v1")).body();
        assertStatus(registry.putManifest(repo, "latest", OCI_MANIFEST, body), 201);
        registry.pushImage(repo, "other");
        assertStatus(registry.get(manifest(repo, "latest")), 200);
        assertStatus(registry.head(manifest(repo, image.digest())), 200);

        HttpResponse<byte[]> response = registry.delete(manifest(repo, image.digest()));

        assertStatus(response, 202);
        assertError(registry.get(manifest(repo, image.digest())), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get(manifest(repo, "v1")), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get(manifest(repo, "latest")), 404, "MANIFEST_UNKNOWN");
        assertStatus(registry.head(manifest(repo, "latest")), 404);
        assertThat(stringArray(registry.get(tags(repo)), "tags")).containsExactly("other");
    }

    @Test
    void deleteManifest_unknownDigest_failsManifestUnknown() {
        String repo = Repos.unique("delete-unknown");
        registry.pushImage(repo, "v1");

        HttpResponse<byte[]> response = registry.delete("/v2/" + repo + "/manifests/"
                + digest(RegistryClient.randomBytes(8)));

        assertError(response, 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deleteManifest_unknownTag_failsManifestUnknown() {
        String repo = Repos.unique("delete-unknown-tag");
        registry.pushImage(repo, "v1");

        HttpResponse<byte[]> response = registry.delete(manifest(repo, "nope"));

        assertError(response, 404, "MANIFEST_UNKNOWN");
        assertStatus(registry.get(manifest(repo, "v1")), 200);
    }

    @Test
    void deleteManifest_twice_secondFailsManifestUnknown() {
        String repo = Repos.unique("delete-twice");
        Descriptor image = registry.pushImage(repo, "v1");
        assertStatus(registry.delete(manifest(repo, image.digest())), 202);

        HttpResponse<byte[]> response = registry.delete(manifest(repo, image.digest()));

        assertError(response, 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void putManifest_afterDeleteByDigest_isAcceptedAgain() {
        String repo = Repos.unique("repush");
        Descriptor image = registry.pushImage(repo, "v1");
        byte[] body = registry.get(manifest(repo, image.digest())).body();
        assertStatus(registry.delete(manifest(repo, image.digest())), 202);

        HttpResponse<byte[]> response = registry.putManifest(repo, "v2", OCI_MANIFEST, body);

        assertStatus(response, 201);
        assertThat(registry.get(manifest(repo, "v2")).body()).isEqualTo(body);
        assertError(registry.get(manifest(repo, "v1")), 404, "MANIFEST_UNKNOWN");
    }
}
