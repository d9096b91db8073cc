package dev.berth.core;

import java.nio.charset.StandardCharsets;

/**
 * Pieces of manifest documents for the parser tests. Media types are written out as the specs
 * spell them rather than taken from {@link MediaType}, so a typo there shows up as a failure.
 */
final class ManifestJson {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String DOCKER_FOREIGN_LAYER =
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    static final Digest CONFIG = Digest.sha256("config");
    static final Digest LAYER_ONE = Digest.sha256("layer one");
    static final Digest LAYER_TWO = Digest.sha256("layer two");
    static final Digest CHILD_AMD64 = Digest.sha256("child amd64");
    static final Digest CHILD_ARM64 = Digest.sha256("child arm64");
    /** The digest of {@code {}}, the two-byte content of the OCI empty descriptor. */
    static final Digest EMPTY_JSON = Digest.parse(
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");

    private ManifestJson() {
    }

    /** A descriptor object with only the three required fields. */
    static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\": \"%s\", \"digest\": \"%s\", \"size\": %d}"
                .formatted(mediaType, digest, size);
    }

    /** An OCI image manifest with a config and one layer; {@code mediaType} set when not null. */
    static String ociImage(String mediaType) {
        String mediaTypeField = mediaType == null ? "" : "\"mediaType\": \"" + mediaType + "\",";
        return """
                {
                  "schemaVersion": 2,
                  %s
                  "config": %s,
                  "layers": [%s]
                }
                """.formatted(mediaTypeField, descriptor(OCI_CONFIG, CONFIG, 1470),
                descriptor(OCI_LAYER, LAYER_ONE, 2_811_478));
    }

    /** An OCI index with one child manifest; {@code mediaType} set when not null. */
    static String ociIndex(String mediaType) {
        String mediaTypeField = mediaType == null ? "" : "\"mediaType\": \"" + mediaType + "\",";
        return """
                {
                  "schemaVersion": 2,
                  %s
                  "manifests": [%s]
                }
                """.formatted(mediaTypeField, descriptor(OCI_MANIFEST, CHILD_AMD64, 1024));
    }

    static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
