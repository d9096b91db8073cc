package dev.berth.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of a pushed manifest Berth needs: its media type, what it references and its
 * referrer fields. The raw bytes are never rebuilt from this model; a manifest's digest is always
 * over the exact bytes the client sent. Parse one with {@link ManifestParser}.
 *
 * @param mediaType one of the manifest media types in {@link MediaType}
 * @param config the config descriptor of an image manifest, {@code null} for an index
 * @param layers the layers of an image manifest, empty for an index
 * @param manifests the child manifests of an index, empty for an image manifest
 * @param subject the manifest this one refers to (a signature's image), or {@code null}
 * @param artifactType the artifact type, or {@code null}
 * @param annotations the top-level annotations, empty when absent
 */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers,
        List<Descriptor> manifests, Descriptor subject, String artifactType,
        Map<String, String> annotations) {

    public Manifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        // The image spec treats an empty artifactType as a missing one.
        artifactType = artifactType == null || artifactType.isEmpty() ? null : artifactType;
    }

    public boolean isIndex() {
        return MediaType.isIndex(mediaType);
    }

    /**
     * The blobs that must already be in the repository before this manifest is accepted: the
     * config and every layer that is not foreign.
     */
    public List<Descriptor> requiredBlobs() {
        List<Descriptor> blobs = new ArrayList<>(layers.size() + 1);
        if (config != null) {
            blobs.add(config);
        }
        for (Descriptor layer : layers) {
            if (!layer.isForeign()) {
                blobs.add(layer);
            }
        }
        return blobs;
    }

    /**
     * The type a referrers listing reports for this manifest: its {@code artifactType}, else the
     * media type of its config, else {@code null}.
     */
    public String effectiveArtifactType() {
        if (artifactType != null) {
            return artifactType;
        }
        return config != null ? config.mediaType() : null;
    }
}
