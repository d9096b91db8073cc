package dev.berth.it;

import static dev.berth.it.Responses.assertStatus;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Two images in one repository over the same base layer: one tagged, one pushed by digest only.
 * Garbage collection must take the untagged one with its own config and layer, and keep the
 * tagged one and the layer they share.
 *
 * @param tagged the tagged image's manifest
 * @param untagged the untagged image's manifest
 * @param base the layer both images have
 * @param taggedOwn the tagged image's config and its own layer
 * @param untaggedOwn the untagged image's config and its own layer, which only it references
 */
record SharedLayerImages(String repo, String tag, Descriptor tagged, Descriptor untagged,
        Descriptor base, List<Descriptor> taggedOwn, List<Descriptor> untaggedOwn) {

    /** Pushes both images to {@code repo}, the tagged one as {@code tag}. */
    static SharedLayerImages push(RegistryClient registry, String repo, String tag) {
        Descriptor base = layer(registry, repo, 30_000);
        List<Descriptor> taggedOwn = List.of(config(registry, repo), layer(registry, repo, 20_000));
        List<Descriptor> untaggedOwn = List.of(config(registry, repo),
                layer(registry, repo, 10_000));
        Descriptor tagged = manifest(registry, repo, tag, taggedOwn.get(0), base,
                taggedOwn.get(1));
        Descriptor untagged = manifest(registry, repo, null, untaggedOwn.get(0), base,
                untaggedOwn.get(1));
        return new SharedLayerImages(repo, tag, tagged, untagged, base, taggedOwn, untaggedOwn);
    }

    /** Digests of the untagged image's own blobs. */
    List<String> untaggedOwnDigests() {
        return untaggedOwn.stream().map(Descriptor::digest).toList();
    }

    /** Bytes of the untagged image's own blobs, which collecting it frees. */
    long untaggedOwnBytes() {
        return untaggedOwn.stream().mapToLong(Descriptor::size).sum();
    }

    private static Descriptor config(RegistryClient registry, String repo) {
        return registry.pushBlob(repo, MediaTypes.OCI_CONFIG, Manifests.config());
    }

    private static Descriptor layer(RegistryClient registry, String repo, int size) {
        byte[] bytes = RegistryClient.randomBytes(size);
        return new Descriptor(MediaTypes.OCI_LAYER, registry.pushBlob(repo, bytes), bytes.length);
    }

    /** Pushes an image manifest by {@code tag}, or by its digest when {@code tag} is null. */
    private static Descriptor manifest(RegistryClient registry, String repo, String tag,
            Descriptor config, Descriptor... layers) {
        byte[] body = Manifests.image(config, layers).getBytes(StandardCharsets.UTF_8);
        String digest = RegistryClient.digest(body);

        assertStatus(registry.putManifest(repo, tag == null ? digest : tag,
                MediaTypes.OCI_MANIFEST, body), 201);
        return new Descriptor(MediaTypes.OCI_MANIFEST, digest, body.length);
    }
}
