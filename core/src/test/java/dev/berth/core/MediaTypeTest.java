package dev.berth.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/vnd.oci.image.manifest.v1+json | true | false",
        "application/vnd.docker.distribution.manifest.v2+json | true | false",
        "application/vnd.oci.image.index.v1+json | false | true",
        "application/vnd.docker.distribution.manifest.list.v2+json | false | true"
    })
    void isManifest_manifestTypes_classified(String type, boolean image, boolean index) {
        boolean manifest = MediaType.isManifest(type);

        assertThat(manifest).isTrue();
        assertThat(MediaType.isImageManifest(type)).isEqualTo(image);
        assertThat(MediaType.isIndex(type)).isEqualTo(index);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "application/vnd.oci.image.config.v1+json",
        "application/vnd.oci.empty.v1+json",
        "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.docker.container.image.v1+json",
        "application/vnd.docker.distribution.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        "application/json",
        "application/octet-stream",
        "APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON",
        "application/vnd.oci.image.manifest.v1+json; charset=utf-8",
        ""
    })
    void isManifest_otherTypes_false(String type) {
        boolean manifest = MediaType.isManifest(type);

        assertThat(manifest).isFalse();
        assertThat(MediaType.isImageManifest(type)).isFalse();
        assertThat(MediaType.isIndex(type)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/vnd.oci.image.manifest.v1+json | application/vnd.oci.image.manifest.v1+json",
        "text/plain;charset=utf-8 | text/plain",
        "application/json;charset=UTF-8 | application/json",
        "'  application/json ; q=1  ' | application/json",
        "Application/VND.OCI.Image.Manifest.v1+JSON | application/vnd.oci.image.manifest.v1+json"
    })
    void essence_contentType_bareLowercaseType(String contentType, String expected) {
        String essence = MediaType.essence(contentType);

        assertThat(essence).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "; charset=utf-8"})
    void essence_blank_null(String contentType) {
        String essence = MediaType.essence(contentType);

        assertThat(essence).isNull();
    }

    @Test
    void essence_null_null() {
        String essence = MediaType.essence(null);

        assertThat(essence).isNull();
    }

    @Test
    void constants_manifestTypes_matchSpecStrings() {
        String[] constants = {MediaType.OCI_MANIFEST, MediaType.OCI_INDEX, MediaType.OCI_EMPTY,
            MediaType.DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST_LIST};

        assertThat(constants).containsExactly(
                "application/vnd.oci.image.manifest.v1+json",
                "application/vnd.oci.image.index.v1+json",
                "application/vnd.oci.empty.v1+json",
                "application/vnd.docker.distribution.manifest.v2+json",
                "application/vnd.docker.distribution.manifest.list.v2+json");
    }
}
