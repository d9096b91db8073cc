package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.tags;
import static dev.berth.it.MediaTypes.OCI_CONFIG;
import static dev.berth.it.MediaTypes.OCI_INDEX;
import static dev.berth.it.MediaTypes.OCI_LAYER;
import static dev.berth.it.MediaTypes.OCI_MANIFEST;
import static dev.berth.it.Referrers.SIGNATURE;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.stringArray;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.berth.it.Referrers.Entry;

/**
 * Referrers over time: pushed before their subject, deleted, outliving a deleted subject, and
 * the {@code sha256-<hex>} tags clients push when a registry has no referrers API.
 */
final class ReferrersLifecycleIT {
    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void listReferrers_referrerPushedBeforeSubject_listedBeforeAndAfterSubjectPush() {
        String repo = Repos.unique("referrers-early");
        Descriptor config = registry.pushBlob(repo, OCI_CONFIG, Manifests.config());
        Descriptor layer = registry.pushBlob(repo, OCI_LAYER, "layer " + UUID.randomUUID());
        String imageJson = Manifests.image(config, layer);
        byte[] imageBytes = imageJson.getBytes(StandardCharsets.UTF_8);
        Descriptor image = new Descriptor(OCI_MANIFEST, digest(imageBytes), imageBytes.length);
        Descriptor signature = Referrers.pushSignature(registry, repo, image);
        Entry expected = Entry.of(signature, SIGNATURE, Map.of());

        HttpResponse<byte[]> before = registry.get(Referrers.path(repo, image.digest()));
        registry.pushManifest(repo, "v1", OCI_MANIFEST, imageJson);
        HttpResponse<byte[]> after = registry.get(Referrers.path(repo, image.digest()));

        assertThat(Referrers.entries(before)).containsExactly(expected);
        assertThat(Referrers.entries(after)).containsExactly(expected);
        assertThat(header(registry.get(manifest(repo, "v1")), "Docker-Content-Digest"))
                .isEqualTo(image.digest());
    }

    @Test
    void deleteManifest_referrer_removesItFromListing() {
        String repo = Repos.unique("referrers-delete");
        Descriptor image = registry.pushImage(repo, "v1");
        Descriptor deleted = Referrers.pushSignature(registry, repo, image);
        Descriptor kept = Referrers.pushSignature(registry, repo, image);
        assertThat(Referrers.list(registry, repo, image.digest()))
                .hasSize(2);

        HttpResponse<byte[]> response = registry.delete(manifest(repo, deleted.digest()));

        assertStatus(response, 202);
        assertThat(Referrers.list(registry, repo, image.digest()))
                .containsExactly(Entry.of(kept, SIGNATURE, Map.of()));
        assertError(registry.get(manifest(repo, deleted.digest())), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deleteManifest_subject_keepsItsReferrersListed() {
        String repo = Repos.unique("referrers-orphan");
        Descriptor image = registry.pushImage(repo, "v1");
        Descriptor signature = Referrers.pushSignature(registry, repo, image);

        HttpResponse<byte[]> response = registry.delete(manifest(repo, image.digest()));

        assertStatus(response, 202);
        assertError(registry.get(manifest(repo, image.digest())), 404, "MANIFEST_UNKNOWN");
        assertThat(Referrers.list(registry, repo, image.digest()))
                .containsExactly(Entry.of(signature, SIGNATURE, Map.of()));
        assertStatus(registry.get(manifest(repo, signature.digest())), 200);
    }

    @Test
    void putManifest_referrersTagScheme_isAnOrdinaryTag() {
        String repo = Repos.unique("referrers-tag-scheme");
        Descriptor image = registry.pushImage(repo, "v1");
        Descriptor signature = Referrers.pushSignature(registry, repo, image);
        String tag = image.digest().replace(':', '-');
        String json = Manifests.index(signature);

        String digest = registry.pushManifest(repo, tag, OCI_INDEX, json);

        HttpResponse<byte[]> pulled = registry.get(manifest(repo, tag), "Accept", OCI_INDEX);
        assertStatus(pulled, 200);
        assertThat(header(pulled, "Content-Type")).isEqualTo(OCI_INDEX);
        assertThat(header(pulled, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(Responses.text(pulled)).isEqualTo(json);
        assertThat(stringArray(registry.get(tags(repo)), "tags")).containsExactly(tag, "v1");
        // The fallback index has no subject of its own, so the API still lists the signature alone.
        assertThat(Referrers.list(registry, repo, image.digest()))
                .containsExactly(Entry.of(signature, SIGNATURE, Map.of()));
    }
}
