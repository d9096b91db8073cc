package dev.berth.core;

import java.util.Locale;
import java.util.Set;

/** The media types Berth treats specially, and which of them are manifests. */
public final class MediaType {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST =
            "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED =
            "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String JSON = "application/json";

    private static final Set<String> IMAGE_MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);

    private MediaType() {
    }

    /** Whether {@code type} is an image manifest (config plus layers). */
    public static boolean isImageManifest(String type) {
        return type != null && IMAGE_MANIFESTS.contains(type);
    }

    /** Whether {@code type} is an index of other manifests. */
    public static boolean isIndex(String type) {
        return type != null && INDEXES.contains(type);
    }

    /** Whether Berth stores manifests of {@code type}. */
    public static boolean isManifest(String type) {
        return isImageManifest(type) || isIndex(type);
    }

    /**
     * The bare media type of a {@code Content-Type} header value: parameters such as
     * {@code charset} dropped, lower-cased, or {@code null} for a blank value.
     */
    public static String essence(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String bare = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim();
        return bare.isEmpty() ? null : bare.toLowerCase(Locale.ROOT);
    }
}
