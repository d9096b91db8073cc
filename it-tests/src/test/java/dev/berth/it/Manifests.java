package dev.berth.it;

import static dev.berth.it.MediaTypes.DOCKER_LIST;
import static dev.berth.it.MediaTypes.DOCKER_MANIFEST;
import static dev.berth.it.MediaTypes.OCI_INDEX;
import static dev.berth.it.MediaTypes.OCI_MANIFEST;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * JSON documents the tests push, written as text so the bytes on the wire are exactly the bytes
 * the test chose (and so the digest a test computes is the one the registry must return).
 */
final class Manifests {

    private Manifests() {
    }

    /** A small image config; the label makes every config, and so every manifest, distinct. */
    static String config() {
        return "{\"architecture\":\"amd64\",\"os\":\"linux\","
                + "\"config\":{\"Labels\":{\"it.nonce\":\"" + UUID.randomUUID() + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
    }

    /** An OCI image manifest over {@code config} and {@code layers}. */
    static String image(Descriptor config, Descriptor... layers) {
        return start(OCI_MANIFEST) + ",\"config\":" + config.json() + ",\"layers\":" + array(layers)
                + "}";
    }

    /** An OCI image manifest that refers to {@code subject}, as a signature or SBOM does. */
    static String imageWithSubject(Descriptor config, Descriptor subject, Descriptor... layers) {
        return start(OCI_MANIFEST) + ",\"config\":" + config.json() + ",\"layers\":" + array(layers)
                + ",\"subject\":" + subject.json() + "}";
    }

    /** An OCI image index over {@code manifests}. */
    static String index(Descriptor... manifests) {
        return start(OCI_INDEX) + ",\"manifests\":" + array(manifests) + "}";
    }

    /** A Docker schema 2 manifest over {@code config} and {@code layers}. */
    static String dockerImage(Descriptor config, Descriptor... layers) {
        return start(DOCKER_MANIFEST) + ",\"config\":" + config.json() + ",\"layers\":"
                + array(layers) + "}";
    }

    /** A Docker manifest list over {@code manifests}. */
    static String dockerList(Descriptor... manifests) {
        return start(DOCKER_LIST) + ",\"manifests\":" + array(manifests) + "}";
    }

    /** An artifact: an image manifest with an {@code artifactType}, the empty config, no layers. */
    static String artifact(String artifactType, Descriptor emptyConfig) {
        return start(OCI_MANIFEST) + ",\"artifactType\":\"" + artifactType + "\",\"config\":"
                + emptyConfig.json() + ",\"layers\":[]}";
    }

    /**
     * An OCI image manifest that refers to {@code subject}, with an {@code artifactType} (left out
     * when null) and top-level {@code annotations} (left out when empty, written in key order).
     * Keys and values are written as given, so they must need no JSON escaping.
     */
    static String artifactWithSubject(String artifactType, Descriptor config, Descriptor subject,
            Map<String, String> annotations, Descriptor... layers) {
        return start(OCI_MANIFEST) + artifactTypeField(artifactType) + ",\"config\":"
                + config.json() + ",\"layers\":" + array(layers) + ",\"subject\":" + subject.json()
                + annotationsField(annotations) + "}";
    }

    /**
     * An OCI image index over {@code manifests} that refers to {@code subject}, with an
     * {@code artifactType} (left out when null) and top-level {@code annotations} (left out when
     * empty), as {@link #artifactWithSubject} writes them.
     */
    static String indexWithSubject(String artifactType, Descriptor subject,
            Map<String, String> annotations, Descriptor... manifests) {
        return start(OCI_INDEX) + artifactTypeField(artifactType) + ",\"manifests\":"
                + array(manifests) + ",\"subject\":" + subject.json()
                + annotationsField(annotations) + "}";
    }

    private static String artifactTypeField(String artifactType) {
        return artifactType == null ? "" : ",\"artifactType\":\"" + artifactType + "\"";
    }

    private static String annotationsField(Map<String, String> annotations) {
        if (annotations.isEmpty()) {
            return "";
        }
        return new TreeMap<>(annotations).entrySet().stream()
                .map(entry -> "\"" + entry.getKey() + "\":\"" + entry.getValue() + "\"")
                .collect(Collectors.joining(",", ",\"annotations\":{", "}"));
    }

    private static String start(String mediaType) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\"";
    }

    private static String array(Descriptor... descriptors) {
        return Arrays.stream(descriptors)
                .map(Descriptor::json)
                .collect(Collectors.joining(",", "[", "]"));
    }
}
