package dev.berth.core;

import static dev.berth.core.ManifestJson.DOCKER_LIST;
import static dev.berth.core.ManifestJson.DOCKER_MANIFEST;
import static dev.berth.core.ManifestJson.OCI_INDEX;
import static dev.berth.core.ManifestJson.OCI_MANIFEST;
import static dev.berth.core.ManifestJson.ociImage;
import static dev.berth.core.ManifestJson.ociIndex;
import static dev.berth.core.ManifestJson.utf8;
import static dev.berth.core.RegistryFailures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How the parser settles a manifest's media type from its mediaType field and Content-Type. */
class ManifestParserMediaTypeTest {
    private static final String SCHEMA1 = """
            {
              "schemaVersion": 1,
              "name": "library/hello",
              "tag": "latest",
              "architecture": "amd64",
              "fsLayers": [{"blobSum": "%s"}],
              "history": [{"v1Compatibility": "{}"}]
            }
            """.formatted(Digest.sha256("layer"));

    @ParameterizedTest
    @ValueSource(strings = {OCI_MANIFEST, DOCKER_MANIFEST})
    void parse_mediaTypeOmitted_contentTypeDecides(String contentType) {
        byte[] bytes = utf8(ociImage(null));

        Manifest manifest = ManifestParser.parse(bytes, contentType);

        assertThat(manifest.mediaType()).isEqualTo(contentType);
    }

    @ParameterizedTest
    @ValueSource(strings = {OCI_INDEX, DOCKER_LIST})
    void parse_indexMediaTypeOmitted_contentTypeDecides(String contentType) {
        byte[] bytes = utf8(ociIndex(null));

        Manifest manifest = ManifestParser.parse(bytes, contentType);

        assertThat(manifest.mediaType()).isEqualTo(contentType);
        assertThat(manifest.isIndex()).isTrue();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "application/json", "application/octet-stream",
        "application/json; charset=utf-8"})
    void parse_mediaTypeAndManifestContentTypeAbsent_configMeansImageManifest(String contentType) {
        byte[] bytes = utf8(ociImage(null));

        Manifest manifest = ManifestParser.parse(bytes, contentType);

        assertThat(manifest.mediaType()).isEqualTo(OCI_MANIFEST);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"application/json", "application/octet-stream"})
    void parse_mediaTypeAndManifestContentTypeAbsent_manifestsMeansIndex(String contentType) {
        byte[] bytes = utf8(ociIndex(null));

        Manifest manifest = ManifestParser.parse(bytes, contentType);

        assertThat(manifest.mediaType()).isEqualTo(OCI_INDEX);
    }

    @Test
    void parse_genericContentType_mediaTypeFieldDecides() {
        byte[] bytes = utf8(ociIndex(DOCKER_LIST));

        Manifest manifest = ManifestParser.parse(bytes, "application/json");

        assertThat(manifest.mediaType()).isEqualTo(DOCKER_LIST);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "application/vnd.oci.image.manifest.v1+json; charset=utf-8",
        "application/vnd.oci.image.manifest.v1+json;charset=UTF-8",
        "Application/VND.OCI.Image.Manifest.v1+json"
    })
    void parse_contentTypeWithParameterOrCase_matchesMediaType(String contentType) {
        byte[] bytes = utf8(ociImage(OCI_MANIFEST));

        Manifest manifest = ManifestParser.parse(bytes, contentType);

        assertThat(manifest.mediaType()).isEqualTo(OCI_MANIFEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {DOCKER_MANIFEST, OCI_INDEX, DOCKER_LIST,
        "application/vnd.docker.distribution.manifest.v2+json; charset=utf-8"})
    void parse_mediaTypeDisagreesWithContentType_failsManifestInvalid(String contentType) {
        byte[] bytes = utf8(ociImage(OCI_MANIFEST));

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(bytes, contentType));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(thrown.status()).isEqualTo(400);
    }

    @Test
    void parse_contentTypeIndexButImageShape_failsManifestInvalid() {
        byte[] bytes = utf8(ociImage(null));

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(bytes, OCI_INDEX));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        "application/vnd.docker.distribution.manifest.v1+json"
    })
    void parse_schema1ContentType_failsManifestInvalid(String contentType) {
        byte[] bytes = utf8(SCHEMA1);

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(bytes, contentType));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(thrown.detail()).contains("schema 1");
    }

    @Test
    void parse_schema1MediaTypeField_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 1,
                 "mediaType": "application/vnd.docker.distribution.manifest.v1+json",
                 "name": "library/hello", "tag": "latest", "fsLayers": []}
                """;

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), null));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parse_schema1ShapeUnderSchema2ContentType_failsManifestInvalid() {
        byte[] bytes = utf8(SCHEMA1);

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(bytes, DOCKER_MANIFEST));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/vnd.example.thing+json", "text/plain",
        "application/vnd.oci.image.config.v1+json"})
    void parse_unknownMediaTypeField_failsManifestInvalid(String mediaType) {
        byte[] bytes = utf8(ociImage(mediaType));

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(bytes, null));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parse_unknownContentTypeWithoutMediaType_failsManifestInvalid() {
        byte[] bytes = utf8(ociImage(null));

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(bytes, "text/plain"));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parse_mediaTypeFieldNotString_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 2, "mediaType": 42, "manifests": []}
                """;

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), null));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }
}
