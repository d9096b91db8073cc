package dev.berth.core;

import static dev.berth.core.RegistryFailures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {

    @ParameterizedTest
    @ValueSource(strings = {"0-99", "bytes 0-99/200", "bytes=0-99", "bytes 0-99/*", " 0-99 ",
        "0-99/200"})
    void parse_acceptedForms_sameRange(String header) {
        ContentRange range = ContentRange.parse(header);

        assertThat(range).isEqualTo(new ContentRange(0, 99));
        assertThat(range.length()).isEqualTo(100);
    }

    @Test
    void parse_laterChunk_offsetsKept() {
        ContentRange range = ContentRange.parse("1048576-2097151");

        assertThat(range.start()).isEqualTo(1_048_576L);
        assertThat(range.end()).isEqualTo(2_097_151L);
        assertThat(range.length()).isEqualTo(1_048_576L);
    }

    @Test
    void parse_singleByte_lengthOne() {
        ContentRange range = ContentRange.parse("7-7");

        assertThat(range.length()).isEqualTo(1);
    }

    @Test
    void parse_offsetsBeyondIntegerBounds_keptAsLongs() {
        ContentRange range = ContentRange.parse("4294967296-4294967297");

        assertThat(range).isEqualTo(new ContentRange(4_294_967_296L, 4_294_967_297L));
    }

    @Test
    void parse_backwards_failsBlobUploadInvalidWith416() {
        RegistryException thrown = thrownBy(() -> ContentRange.parse("100-99"));

        assertThat(thrown.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
        assertThat(thrown.status()).isEqualTo(416);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage",
        "-99",
        "0-",
        "0 - 99",
        "0-99-100",
        "a-b",
        "bytes */200",
        "bytes 0-99/",
        "bytes 0-99/abc",
        "bytes:0-99",
        "0-9,20-29",
        "99999999999999999999-99999999999999999999"
    })
    void parse_garbage_failsBlobUploadInvalidWith416(String header) {
        RegistryException thrown = thrownBy(() -> ContentRange.parse(header));

        assertThat(thrown.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
        assertThat(thrown.status()).isEqualTo(416);
    }
}
