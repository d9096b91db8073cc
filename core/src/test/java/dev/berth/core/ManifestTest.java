package dev.berth.core;

import static dev.berth.core.ManifestJson.CHILD_AMD64;
import static dev.berth.core.ManifestJson.CONFIG;
import static dev.berth.core.ManifestJson.LAYER_ONE;
import static dev.berth.core.ManifestJson.LAYER_TWO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final Descriptor CONFIG_BLOB = new Descriptor(MediaType.OCI_CONFIG, CONFIG, 10);
    private static final Descriptor LAYER =
            new Descriptor(MediaType.OCI_LAYER_TAR_GZIP, LAYER_ONE, 20);
    private static final Descriptor FOREIGN = new Descriptor(MediaType.OCI_LAYER_TAR_GZIP,
            LAYER_TWO, 30, null, Map.of(), List.of("https://example.com/base.tar.gz"));

    @Test
    void requiredBlobs_imageManifest_configFirstThenLocalLayersInOrder() {
        Descriptor second = new Descriptor(MediaType.OCI_LAYER_TAR_GZIP, Digest.sha256("x"), 5);
        Manifest manifest = image(null, List.of(LAYER, FOREIGN, second));

        List<Descriptor> blobs = manifest.requiredBlobs();

        assertThat(blobs).containsExactly(CONFIG_BLOB, LAYER, second);
    }

    @Test
    void requiredBlobs_onlyForeignLayers_configOnly() {
        Manifest manifest = image(null, List.of(FOREIGN));

        List<Descriptor> blobs = manifest.requiredBlobs();

        assertThat(blobs).containsExactly(CONFIG_BLOB);
    }

    @Test
    void requiredBlobs_index_empty() {
        Descriptor child = new Descriptor(MediaType.OCI_MANIFEST, CHILD_AMD64, 100);
        Manifest index = new Manifest(MediaType.OCI_INDEX, null, List.of(), List.of(child), null,
                null, null);

        List<Descriptor> blobs = index.requiredBlobs();

        assertThat(blobs).isEmpty();
        assertThat(index.isIndex()).isTrue();
    }

    @Test
    void effectiveArtifactType_artifactTypeSet_preferredOverConfigMediaType() {
        Manifest manifest = image("application/vnd.example.sig", List.of(LAYER));

        String type = manifest.effectiveArtifactType();

        assertThat(type).isEqualTo("application/vnd.example.sig");
    }

    @Test
    void effectiveArtifactType_noArtifactType_configMediaType() {
        Manifest manifest = image(null, List.of(LAYER));

        String type = manifest.effectiveArtifactType();

        assertThat(type).isEqualTo(MediaType.OCI_CONFIG);
    }

    @Test
    void effectiveArtifactType_emptyArtifactType_configMediaType() {
        Manifest manifest = image("", List.of(LAYER));

        String type = manifest.effectiveArtifactType();

        assertThat(type).isEqualTo(MediaType.OCI_CONFIG);
        assertThat(manifest.artifactType()).isNull();
    }

    @Test
    void constructor_mutableInputs_copiedAndUnmodifiable() {
        List<Descriptor> layers = new ArrayList<>(List.of(LAYER));
        Map<String, String> annotations = new HashMap<>(Map.of("k", "v"));
        Manifest manifest = new Manifest(MediaType.OCI_MANIFEST, CONFIG_BLOB, layers, List.of(),
                null, null, annotations);

        layers.add(FOREIGN);
        annotations.put("k2", "v2");

        assertThat(manifest.layers()).containsExactly(LAYER);
        assertThat(manifest.annotations()).containsOnlyKeys("k");
        assertThatThrownBy(() -> manifest.layers().add(FOREIGN))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void descriptor_nullAnnotationsAndUrls_emptyAndNotForeign() {
        Descriptor descriptor = new Descriptor(MediaType.OCI_CONFIG, CONFIG, 1, null, null, null);

        boolean foreign = descriptor.isForeign();

        assertThat(foreign).isFalse();
        assertThat(descriptor.annotations()).isEmpty();
        assertThat(descriptor.urls()).isEmpty();
    }

    private static Manifest image(String artifactType, List<Descriptor> layers) {
        return new Manifest(MediaType.OCI_MANIFEST, CONFIG_BLOB, layers, List.of(), null,
                artifactType, Map.of());
    }
}
