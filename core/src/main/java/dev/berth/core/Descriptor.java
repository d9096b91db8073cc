package dev.berth.core;

import java.util.List;
import java.util.Map;

/**
 * A reference from a manifest to content: its media type, digest and size, with the optional
 * fields of the OCI descriptor that Berth reads.
 *
 * @param mediaType the media type of the referenced content
 * @param digest the digest of the referenced content
 * @param size the size in bytes of the referenced content
 * @param artifactType the artifact type, when the descriptor carries one, else {@code null}
 * @param annotations the annotations, empty when absent
 * @param urls the download locations of a non-distributable layer, empty when absent
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
        Map<String, String> annotations, List<String> urls) {

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, Map.of(), List.of());
    }

    /**
     * Whether the content lives outside the registry: a layer that lists {@code urls}, as
     * Windows base layers do. Such layers need not be pushed before the manifest.
     */
    public boolean isForeign() {
        return !urls.isEmpty();
    }
}
