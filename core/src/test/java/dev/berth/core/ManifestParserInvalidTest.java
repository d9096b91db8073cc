package dev.berth.core;

import static dev.berth.core.ManifestJson.CONFIG;
import static dev.berth.core.ManifestJson.LAYER_ONE;
import static dev.berth.core.ManifestJson.OCI_CONFIG;
import static dev.berth.core.ManifestJson.OCI_LAYER;
import static dev.berth.core.ManifestJson.OCI_MANIFEST;
import static dev.berth.core.ManifestJson.descriptor;
import static dev.berth.core.ManifestJson.utf8;
import static dev.berth.core.RegistryFailures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Documents the parser must turn away with MANIFEST_INVALID, and never with anything else. */
class ManifestParserInvalidTest {
    private static final String CONFIG_JSON = descriptor(OCI_CONFIG, CONFIG, 1470);
    private static final String LAYER_JSON = descriptor(OCI_LAYER, LAYER_ONE, 512);

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "{", "{\"schemaVersion\": 2,}", "[]",
        "[{\"schemaVersion\": 2}]", "\"manifest\"", "42", "null", "true"})
    void parse_notJsonObject_failsManifestInvalid(String text) {
        byte[] bytes = utf8(text);

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(bytes, OCI_MANIFEST));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(thrown.status()).isEqualTo(400);
    }

    @Test
    void parse_invalidUtf8_failsManifestInvalid() {
        byte[] bytes = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(bytes, OCI_MANIFEST));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parse_duplicateTopLevelKey_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 2, "config": %s, "layers": [], "layers": [%s]}
                """.formatted(CONFIG_JSON, LAYER_JSON);

        assertInvalid(json);
    }

    @Test
    void parse_duplicateKeyInsideDescriptor_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 2, "config": {"mediaType": "%s", "digest": "%s",
                 "digest": "%s", "size": 2}, "layers": []}
                """.formatted(OCI_CONFIG, CONFIG, LAYER_ONE);

        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "3", "\"2\"", "2.0", "null"})
    void parse_schemaVersionNotTwo_failsManifestInvalid(String version) {
        String json = """
                {"schemaVersion": %s, "config": %s, "layers": [%s]}
                """.formatted(version, CONFIG_JSON, LAYER_JSON);

        assertInvalid(json);
    }

    @Test
    void parse_schemaVersionMissing_failsManifestInvalid() {
        String json = """
                {"config": %s, "layers": [%s]}
                """.formatted(CONFIG_JSON, LAYER_JSON);

        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"config\": null,", "\"config\": \"sha256:abc\",",
        "\"config\": [],"})
    void parse_configMissingOrNotObject_failsManifestInvalid(String configField) {
        String json = """
                {"schemaVersion": 2, %s "layers": [%s]}
                """.formatted(configField, LAYER_JSON);

        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "\"layers\"", "null"})
    void parse_layersNotArray_failsManifestInvalid(String layers) {
        String json = """
                {"schemaVersion": 2, "config": %s, "layers": %s}
                """.formatted(CONFIG_JSON, layers);

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json),
                "application/vnd.docker.distribution.manifest.v2+json"));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"mediaType\": \"m/t\", \"size\": 1}",
        "{\"mediaType\": \"m/t\", \"digest\": null, \"size\": 1}",
        "{\"mediaType\": \"m/t\", \"digest\": 12, \"size\": 1}",
        "{\"digest\": \"%1$s\", \"size\": 1}",
        "{\"mediaType\": \"m/t\", \"digest\": \"%1$s\"}",
        "{\"mediaType\": \"m/t\", \"digest\": \"%1$s\", \"size\": -1}",
        "{\"mediaType\": \"m/t\", \"digest\": \"%1$s\", \"size\": 1.5}",
        "{\"mediaType\": \"m/t\", \"digest\": \"%1$s\", \"size\": \"1\"}",
        "{\"mediaType\": \"m/t\", \"digest\": \"%1$s\", \"size\": 9223372036854775808}",
        "\"%1$s\""
    })
    void parse_layerDescriptorIncomplete_failsManifestInvalid(String layer) {
        String json = """
                {"schemaVersion": 2, "config": %s, "layers": [%s, %s]}
                """.formatted(CONFIG_JSON, LAYER_JSON, layer.formatted(LAYER_ONE));

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), OCI_MANIFEST));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(thrown.detail()).contains("layers[1]");
    }

    @Test
    void parse_descriptorMediaTypeNotString_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 2, "config": {"mediaType": 7, "digest": "%s", "size": 2},
                 "layers": []}
                """.formatted(CONFIG);

        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sha256:abc",
        "SHA256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        "sha256:44136FA355B3678A1146AD16F7E8649E94FB4FC21FE77E8310C060F61CAAFF8A",
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        ""
    })
    void parse_badDigestInConfig_failsManifestInvalidNotDigestInvalid(String digest) {
        String json = """
                {"schemaVersion": 2, "config": {"mediaType": "%s", "digest": "%s", "size": 2},
                 "layers": []}
                """.formatted(OCI_CONFIG, digest);

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), OCI_MANIFEST));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(thrown.detail()).contains("config.digest");
    }

    @Test
    void parse_badSubjectDescriptor_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 2, "config": %s, "layers": [],
                 "subject": {"mediaType": "%s", "digest": "sha256:short", "size": 10}}
                """.formatted(CONFIG_JSON, OCI_MANIFEST);

        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1}", "{\"a\": null}", "{\"a\": {\"b\": \"c\"}}", "[\"a\"]",
        "\"a=b\""})
    void parse_annotationsNotStringMap_failsManifestInvalid(String annotations) {
        String json = """
                {"schemaVersion": 2, "config": %s, "layers": [], "annotations": %s}
                """.formatted(CONFIG_JSON, annotations);

        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"https://example.com/layer\"", "[1]", "[null]", "{}"})
    void parse_urlsNotStringArray_failsManifestInvalid(String urls) {
        String layer = """
                {"mediaType": "%s", "digest": "%s", "size": 5, "urls": %s}
                """.formatted(OCI_LAYER, LAYER_ONE, urls);
        String json = """
                {"schemaVersion": 2, "config": %s, "layers": [%s]}
                """.formatted(CONFIG_JSON, layer);

        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "{}", "[\"a\"]"})
    void parse_artifactTypeNotString_failsManifestInvalid(String artifactType) {
        String json = """
                {"schemaVersion": 2, "config": %s, "layers": [], "artifactType": %s}
                """.formatted(CONFIG_JSON, artifactType);

        assertInvalid(json);
    }

    private static void assertInvalid(String json) {
        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), OCI_MANIFEST));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parse_schema1WithoutContentType_failsManifestInvalid() {
        String json = """
                {"schemaVersion": 1, "name": "a", "tag": "b", "fsLayers": []}
                """;

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(utf8(json), null));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parse_trailingContentAfterObject_failsManifestInvalid() {
        byte[] bytes = utf8(ManifestJson.ociImage(OCI_MANIFEST) + "garbage");

        RegistryException thrown = thrownBy(() -> ManifestParser.parse(bytes, OCI_MANIFEST));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parse_emptyBody_failsManifestInvalid() {
        RegistryException thrown = thrownBy(() -> ManifestParser.parse(new byte[0], OCI_MANIFEST));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }
}
