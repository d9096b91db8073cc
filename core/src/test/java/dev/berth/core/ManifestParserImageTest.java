package dev.berth.core;

import static dev.berth.core.ManifestJson.CONFIG;
import static dev.berth.core.ManifestJson.DOCKER_CONFIG;
import static dev.berth.core.ManifestJson.DOCKER_FOREIGN_LAYER;
import static dev.berth.core.ManifestJson.DOCKER_LAYER;
import static dev.berth.core.ManifestJson.DOCKER_MANIFEST;
import static dev.berth.core.ManifestJson.EMPTY_JSON;
import static dev.berth.core.ManifestJson.LAYER_ONE;
import static dev.berth.core.ManifestJson.LAYER_TWO;
import static dev.berth.core.ManifestJson.OCI_CONFIG;
import static dev.berth.core.ManifestJson.OCI_EMPTY;
import static dev.berth.core.ManifestJson.OCI_LAYER;
import static dev.berth.core.ManifestJson.OCI_MANIFEST;
import static dev.berth.core.ManifestJson.descriptor;
import static dev.berth.core.ManifestJson.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Image manifests, OCI and Docker schema 2: what the parser reads out of a valid document. */
class ManifestParserImageTest {

    @Test
    void parse_ociImageManifest_readsConfigLayersAndAnnotations() {
        String json = """
                {
                  "schemaVersion": 2,
                  "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "config": %s,
                  "layers": [%s, %s],
                  "annotations": {"org.opencontainers.image.created": "2024-05-01T10:00:00Z"}
                }
                """.formatted(descriptor(OCI_CONFIG, CONFIG, 1470),
                descriptor(OCI_LAYER, LAYER_ONE, 2_811_478),
                descriptor(OCI_LAYER, LAYER_TWO, 512));

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_MANIFEST);

        assertThat(manifest.mediaType()).isEqualTo(OCI_MANIFEST);
        assertThat(manifest.isIndex()).isFalse();
        assertThat(manifest.config()).isEqualTo(new Descriptor(OCI_CONFIG, CONFIG, 1470));
        assertThat(manifest.layers()).containsExactly(
                new Descriptor(OCI_LAYER, LAYER_ONE, 2_811_478),
                new Descriptor(OCI_LAYER, LAYER_TWO, 512));
        assertThat(manifest.manifests()).isEmpty();
        assertThat(manifest.subject()).isNull();
        assertThat(manifest.artifactType()).isNull();
        assertThat(manifest.annotations()).containsExactly(
                Map.entry("org.opencontainers.image.created", "2024-05-01T10:00:00Z"));
    }

    @Test
    void parse_descriptorOptionalFields_kept() {
        String layer = """
                {"mediaType": "%s", "digest": "%s", "size": 512,
                 "artifactType": "application/vnd.example.sbom",
                 "annotations": {"org.opencontainers.image.title": "sbom.json"},
                 "data": "e30=", "platform": {"os": "linux"}}
                """.formatted(OCI_LAYER, LAYER_ONE);
        String json = """
                {"schemaVersion": 2, "config": %s, "layers": [%s]}
                """.formatted(descriptor(OCI_CONFIG, CONFIG, 2), layer);

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_MANIFEST);

        Descriptor parsed = manifest.layers().get(0);
        assertThat(parsed.artifactType()).isEqualTo("application/vnd.example.sbom");
        assertThat(parsed.annotations())
                .containsExactly(Map.entry("org.opencontainers.image.title", "sbom.json"));
        assertThat(parsed.urls()).isEmpty();
        assertThat(parsed.isForeign()).isFalse();
    }

    @Test
    void parse_referrerWithSubjectAndArtifactType_readsBoth() {
        Digest image = Digest.sha256("signed image");
        String json = """
                {
                  "schemaVersion": 2,
                  "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "artifactType": "application/vnd.dev.cosign.artifact.sig.v1+json",
                  "config": %s,
                  "layers": [%s],
                  "subject": %s
                }
                """.formatted(descriptor(OCI_EMPTY, EMPTY_JSON, 2),
                descriptor("application/vnd.dev.cosign.simplesigning.v1+json", LAYER_ONE, 240),
                descriptor(OCI_MANIFEST, image, 1024));

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_MANIFEST);

        assertThat(manifest.subject()).isEqualTo(new Descriptor(OCI_MANIFEST, image, 1024));
        assertThat(manifest.artifactType())
                .isEqualTo("application/vnd.dev.cosign.artifact.sig.v1+json");
        assertThat(manifest.effectiveArtifactType())
                .isEqualTo("application/vnd.dev.cosign.artifact.sig.v1+json");
    }

    @Test
    void parse_artifactWithEmptyConfigAndNoLayers_accepted() {
        String json = """
                {
                  "schemaVersion": 2,
                  "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "artifactType": "application/vnd.example.thing.v1",
                  "config": {"mediaType": "application/vnd.oci.empty.v1+json",
                             "digest": "%s", "size": 2, "data": "e30="},
                  "layers": []
                }
                """.formatted(EMPTY_JSON);

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_MANIFEST);

        assertThat(manifest.config()).isEqualTo(new Descriptor(OCI_EMPTY, EMPTY_JSON, 2));
        assertThat(manifest.layers()).isEmpty();
        assertThat(manifest.requiredBlobs()).containsExactly(manifest.config());
        assertThat(manifest.effectiveArtifactType()).isEqualTo("application/vnd.example.thing.v1");
    }

    @Test
    void parse_noArtifactType_effectiveArtifactTypeIsConfigMediaType() {
        String json = ManifestJson.ociImage(OCI_MANIFEST);

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_MANIFEST);

        assertThat(manifest.artifactType()).isNull();
        assertThat(manifest.effectiveArtifactType()).isEqualTo(OCI_CONFIG);
    }

    @Test
    void parse_dockerSchema2Manifest_readsDockerTypes() {
        String json = """
                {
                  "schemaVersion": 2,
                  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                  "config": %s,
                  "layers": [%s, %s]
                }
                """.formatted(descriptor(DOCKER_CONFIG, CONFIG, 7023),
                descriptor(DOCKER_LAYER, LAYER_ONE, 32_654),
                descriptor(DOCKER_LAYER, LAYER_TWO, 16_724));

        Manifest manifest = ManifestParser.parse(utf8(json), DOCKER_MANIFEST);

        assertThat(manifest.mediaType()).isEqualTo(DOCKER_MANIFEST);
        assertThat(manifest.isIndex()).isFalse();
        assertThat(manifest.config()).isEqualTo(new Descriptor(DOCKER_CONFIG, CONFIG, 7023));
        assertThat(manifest.layers()).extracting(Descriptor::mediaType)
                .containsExactly(DOCKER_LAYER, DOCKER_LAYER);
        assertThat(manifest.layers()).extracting(Descriptor::digest)
                .containsExactly(LAYER_ONE, LAYER_TWO);
        assertThat(manifest.effectiveArtifactType()).isEqualTo(DOCKER_CONFIG);
    }

    @Test
    void parse_foreignLayer_keptButNotRequired() {
        Digest foreign = Digest.sha256("windows base layer");
        String url = "https://mcr.microsoft.com/v2/windows/servercore/blobs/" + foreign;
        String foreignLayer = """
                {"mediaType": "%s", "digest": "%s", "size": 1718332879, "urls": ["%s"]}
                """.formatted(DOCKER_FOREIGN_LAYER, foreign, url);
        String json = """
                {
                  "schemaVersion": 2,
                  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                  "config": %s,
                  "layers": [%s, %s]
                }
                """.formatted(descriptor(DOCKER_CONFIG, CONFIG, 1024), foreignLayer,
                descriptor(DOCKER_LAYER, LAYER_ONE, 4096));

        Manifest manifest = ManifestParser.parse(utf8(json), DOCKER_MANIFEST);

        Descriptor first = manifest.layers().get(0);
        assertThat(first.isForeign()).isTrue();
        assertThat(first.size()).isEqualTo(1_718_332_879L);
        assertThat(first.urls()).containsExactly(url);
        assertThat(manifest.requiredBlobs()).extracting(Descriptor::digest)
                .containsExactly(CONFIG, LAYER_ONE);
    }

    @Test
    void parse_sizeBeyondIntegerBounds_keptAsLong() {
        String json = """
                {"schemaVersion": 2, "config": %s, "layers": [%s]}
                """.formatted(descriptor(OCI_CONFIG, CONFIG, 2),
                descriptor(OCI_LAYER, LAYER_ONE, 8_589_934_592L));

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_MANIFEST);

        assertThat(manifest.layers()).extracting(Descriptor::size)
                .containsExactly(8_589_934_592L);
    }

    @Test
    void parse_sameBytesTwice_equalModels() {
        byte[] bytes = utf8(ManifestJson.ociImage(OCI_MANIFEST));

        Manifest first = ManifestParser.parse(bytes, OCI_MANIFEST);
        Manifest second = ManifestParser.parse(bytes, null);

        assertThat(first).isEqualTo(second);
        assertThat(first.requiredBlobs()).extracting(Descriptor::digest)
                .containsExactly(CONFIG, LAYER_ONE);
        assertThat(first.layers()).isUnmodifiable();
        assertThat(first.annotations()).isEmpty();
    }
}
