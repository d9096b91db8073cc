package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.tags;
import static dev.berth.it.MediaTypes.OCI_CONFIG;
import static dev.berth.it.MediaTypes.OCI_INDEX;
import static dev.berth.it.MediaTypes.OCI_LAYER;
import static dev.berth.it.MediaTypes.OCI_MANIFEST;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.RegistryClient.randomBytes;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertJsonError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.stringArray;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Manifests the registry must refuse, and references it must not resolve. */
final class ManifestValidationIT {
    private static final int FOUR_MIB = 4 * 1024 * 1024;

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void putManifest_layerNotPushed_failsManifestBlobUnknown() {
        String repo = Repos.unique("missing-layer");
        Descriptor config = registry.pushBlob(repo, OCI_CONFIG, Manifests.config());
        Descriptor layer = new Descriptor(OCI_LAYER, digest(randomBytes(10)), 10);

        HttpResponse<byte[]> response = registry.putManifest(repo, "v1", OCI_MANIFEST,
                bytes(Manifests.image(config, layer)));

        assertError(response, 400, "MANIFEST_BLOB_UNKNOWN");
        assertError(registry.get(manifest(repo, "v1")), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void putManifest_configNotPushed_failsManifestBlobUnknown() {
        String repo = Repos.unique("missing-config");
        Descriptor layer = registry.pushBlob(repo, OCI_LAYER, "layer " + UUID.randomUUID());
        Descriptor config = new Descriptor(OCI_CONFIG, digest(randomBytes(10)), 10);

        HttpResponse<byte[]> response = registry.putManifest(repo, "v1", OCI_MANIFEST,
                bytes(Manifests.image(config, layer)));

        assertError(response, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void putManifest_layerOnlyInAnotherRepository_failsManifestBlobUnknown() {
        String repo = Repos.unique("borrower");
        String other = Repos.unique("lender");
        Descriptor config = registry.pushBlob(repo, OCI_CONFIG, Manifests.config());
        Descriptor layer = registry.pushBlob(other, OCI_LAYER, "layer " + UUID.randomUUID());

        HttpResponse<byte[]> response = registry.putManifest(repo, "v1", OCI_MANIFEST,
                bytes(Manifests.image(config, layer)));

        assertError(response, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void putIndex_childOnlyInAnotherRepository_failsManifestBlobUnknown() {
        String repo = Repos.unique("index-borrower");
        String other = Repos.unique("index-lender");
        Descriptor child = registry.pushImage(other, "v1");

        HttpResponse<byte[]> response = registry.putManifest(repo, "multi", OCI_INDEX,
                bytes(Manifests.index(child)));

        assertError(response, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void putManifest_invalidJson_failsManifestInvalid() {
        String repo = Repos.unique("invalid-json");

        HttpResponse<byte[]> response = registry.putManifest(repo, "v1", OCI_MANIFEST,
                bytes("{\"schemaVersion\":2,\"mediaType\":"));

        assertError(response, 400, "MANIFEST_INVALID");
    }

    @Test
    void putManifest_exactly4MiB_returns201() {
        String repo = Repos.unique("size-limit");
        byte[] body = imageOfSize(repo, FOUR_MIB);

        HttpResponse<byte[]> response = registry.putManifest(repo, "big", OCI_MANIFEST, body);

        assertStatus(response, 201);
        assertThat(registry.get(manifest(repo, "big")).body()).isEqualTo(body);
    }

    @Test
    void putManifest_oneByteOver4MiB_returns413ManifestInvalid() {
        String repo = Repos.unique("size-limit");
        byte[] body = imageOfSize(repo, FOUR_MIB + 1);

        HttpResponse<byte[]> response = registry.putManifest(repo, "big", OCI_MANIFEST, body);

        assertError(response, 413, "MANIFEST_INVALID");
    }

    @Test
    void putManifest_5MiB_returns413ManifestInvalid() {
        String repo = Repos.unique("too-big");
        byte[] body = imageOfSize(repo, 5 * 1024 * 1024);

        HttpResponse<byte[]> response = registry.putManifest(repo, "big", OCI_MANIFEST, body);

        assertError(response, 413, "MANIFEST_INVALID");
        assertError(registry.get(manifest(repo, "big")), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void getManifest_unknownTag_failsManifestUnknown() {
        String repo = Repos.unique("unknown-tag");
        registry.pushImage(repo, "v1");

        HttpResponse<byte[]> get = registry.get(manifest(repo, "v2"));
        HttpResponse<byte[]> head = registry.head(manifest(repo, "v2"));

        assertError(get, 404, "MANIFEST_UNKNOWN");
        assertStatus(head, 404);
    }

    @Test
    void getManifest_pushedToAnotherRepositoryOnly_failsManifestUnknown() {
        String owner = Repos.unique("manifest-owner");
        String other = Repos.unique("manifest-other");
        Descriptor image = registry.pushImage(owner, "v1");
        registry.pushImage(other, "v2");

        HttpResponse<byte[]> response = registry.get(manifest(other, image.digest()));

        assertError(response, 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void getManifest_invalidTag_returns400() {
        String repo = Repos.unique("invalid-tag");
        registry.pushImage(repo, "v1");

        HttpResponse<byte[]> response = registry.get(manifest(repo, "-bad"));

        assertJsonError(response, 400);
    }

    @Test
    void putManifest_invalidTag_returns400() {
        String repo = Repos.unique("invalid-tag-put");
        Descriptor image = registry.pushImage(repo, "v1");
        byte[] body = registry.get(manifest(repo, image.digest())).body();

        HttpResponse<byte[]> response = registry.putManifest(repo, "-bad", OCI_MANIFEST, body);

        assertJsonError(response, 400);
        assertThat(stringArray(registry.get(tags(repo)), "tags")).containsExactly("v1");
    }

    /** A valid image manifest padded with an annotation to exactly {@code size} bytes. */
    private byte[] imageOfSize(String repo, int size) {
        Descriptor config = registry.pushBlob(repo, OCI_CONFIG, Manifests.config());
        Descriptor layer = registry.pushBlob(repo, OCI_LAYER, "layer " + UUID.randomUUID());
        String image = Manifests.image(config, layer);
        // Drop the closing brace and add an annotation long enough to reach the size.
        String prefix = image.substring(0, image.length() - 1)
                + ",\"annotations\":{\"it.padding\":\"";
        String suffix = "\"}}";
        byte[] body = bytes(prefix + "a".repeat(size - prefix.length() - suffix.length()) + suffix);
        assertThat(body).hasSize(size);
        return body;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
