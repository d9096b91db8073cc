package dev.berth.core;

import static dev.berth.core.ManifestJson.CHILD_AMD64;
import static dev.berth.core.ManifestJson.CHILD_ARM64;
import static dev.berth.core.ManifestJson.DOCKER_LIST;
import static dev.berth.core.ManifestJson.DOCKER_MANIFEST;
import static dev.berth.core.ManifestJson.OCI_INDEX;
import static dev.berth.core.ManifestJson.OCI_MANIFEST;
import static dev.berth.core.ManifestJson.descriptor;
import static dev.berth.core.ManifestJson.utf8;
import static dev.berth.core.RegistryFailures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Image indexes and Docker manifest lists: what the parser reads out of a valid document. */
class ManifestParserIndexTest {

    @Test
    void parse_ociIndexWithPlatforms_readsChildManifests() {
        String json = """
                {
                  "schemaVersion": 2,
                  "mediaType": "application/vnd.oci.image.index.v1+json",
                  "manifests": [
                    {"mediaType": "%s", "digest": "%s", "size": 7143,
                     "platform": {"architecture": "amd64", "os": "linux"}},
                    {"mediaType": "%s", "digest": "%s", "size": 7682,
                     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}}
                  ],
                  "annotations": {"com.example.key1": "value1"}
                }
                """.formatted(OCI_MANIFEST, CHILD_AMD64, OCI_MANIFEST, CHILD_ARM64);

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_INDEX);

        assertThat(manifest.mediaType()).isEqualTo(OCI_INDEX);
        assertThat(manifest.isIndex()).isTrue();
        assertThat(manifest.manifests()).containsExactly(
                new Descriptor(OCI_MANIFEST, CHILD_AMD64, 7143),
                new Descriptor(OCI_MANIFEST, CHILD_ARM64, 7682));
        assertThat(manifest.config()).isNull();
        assertThat(manifest.layers()).isEmpty();
        assertThat(manifest.annotations()).containsExactly(Map.entry("com.example.key1", "value1"));
    }

    @Test
    void parse_index_requiresNoBlobs() {
        String json = ManifestJson.ociIndex(OCI_INDEX);

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_INDEX);

        assertThat(manifest.requiredBlobs()).isEmpty();
        assertThat(manifest.effectiveArtifactType()).isNull();
    }

    @Test
    void parse_dockerManifestList_readsChildManifests() {
        String json = """
                {
                  "schemaVersion": 2,
                  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
                  "manifests": [
                    {"mediaType": "%s", "digest": "%s", "size": 7143,
                     "platform": {"architecture": "ppc64le", "os": "linux"}},
                    {"mediaType": "%s", "digest": "%s", "size": 7682,
                     "platform": {"architecture": "amd64", "os": "linux", "features": ["sse4"]}}
                  ]
                }
                """.formatted(DOCKER_MANIFEST, CHILD_ARM64, DOCKER_MANIFEST, CHILD_AMD64);

        Manifest manifest = ManifestParser.parse(utf8(json), DOCKER_LIST);

        assertThat(manifest.mediaType()).isEqualTo(DOCKER_LIST);
        assertThat(manifest.isIndex()).isTrue();
        assertThat(manifest.manifests()).extracting(Descriptor::digest)
                .containsExactly(CHILD_ARM64, CHILD_AMD64);
        assertThat(manifest.manifests()).extracting(Descriptor::mediaType)
                .containsOnly(DOCKER_MANIFEST);
    }

    @Test
    void parse_emptyManifestsArray_accepted() {
        String json = """
                {"schemaVersion": 2, "mediaType": "%s", "manifests": []}
                """.formatted(OCI_INDEX);

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_INDEX);

        assertThat(manifest.isIndex()).isTrue();
        assertThat(manifest.manifests()).isEmpty();
    }

    @Test
    void parse_indexWithSubjectAndArtifactType_readsBoth() {
        Digest image = Digest.sha256("described image");
        String json = """
                {
                  "schemaVersion": 2,
                  "mediaType": "application/vnd.oci.image.index.v1+json",
                  "artifactType": "application/vnd.example.bundle",
                  "manifests": [%s],
                  "subject": %s
                }
                """.formatted(descriptor(OCI_MANIFEST, CHILD_AMD64, 100),
                descriptor(OCI_MANIFEST, image, 2048));

        Manifest manifest = ManifestParser.parse(utf8(json), OCI_INDEX);

        assertThat(manifest.subject()).isEqualTo(new Descriptor(OCI_MANIFEST, image, 2048));
        assertThat(manifest.artifactType()).isEqualTo("application/vnd.example.bundle");
        assertThat(manifest.effectiveArtifactType()).isEqualTo("application/vnd.example.bundle");
    }

    @Test
    void parse_indexMissingManifests_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 2, "mediaType": "%s"}
                """.formatted(OCI_INDEX);

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), OCI_INDEX));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parse_indexManifestsNotArray_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 2, "mediaType": "%s", "manifests": %s}
                """.formatted(OCI_INDEX, descriptor(OCI_MANIFEST, CHILD_AMD64, 10));

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), OCI_INDEX));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parse_indexChildWithoutDigest_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 2, "manifests": [{"mediaType": "%s", "size": 10}]}
                """.formatted(OCI_MANIFEST);

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), OCI_INDEX));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(thrown.detail()).contains("manifests[0]");
    }

    @Test
    void parse_indexSchemaVersionOne_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 1, "manifests": [%s]}
                """.formatted(descriptor(OCI_MANIFEST, CHILD_AMD64, 10));

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), OCI_INDEX));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }
}
