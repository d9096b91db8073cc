package dev.berth.core;

import static dev.berth.core.RegistryFailures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
    private static final long SIZE = 200;

    @Test
    void resolve_closedRange_coversThoseBytes() {
        ByteRange range = ByteRange.resolve("bytes=0-99", SIZE);

        assertThat(range).isEqualTo(new ByteRange(0, 99));
        assertThat(range.length()).isEqualTo(100);
    }

    @Test
    void resolve_openEnded_runsToLastByte() {
        ByteRange range = ByteRange.resolve("bytes=100-", SIZE);

        assertThat(range).isEqualTo(new ByteRange(100, 199));
        assertThat(range.length()).isEqualTo(100);
    }

    @Test
    void resolve_suffix_coversLastBytes() {
        ByteRange range = ByteRange.resolve("bytes=-10", SIZE);

        assertThat(range).isEqualTo(new ByteRange(190, 199));
        assertThat(range.length()).isEqualTo(10);
    }

    @Test
    void resolve_suffixLongerThanBlob_coversWholeBlob() {
        ByteRange range = ByteRange.resolve("bytes=-500", SIZE);

        assertThat(range).isEqualTo(new ByteRange(0, 199));
    }

    @Test
    void resolve_endBeyondSize_clampedToLastByte() {
        ByteRange range = ByteRange.resolve("bytes=150-999", SIZE);

        assertThat(range).isEqualTo(new ByteRange(150, 199));
        assertThat(range.length()).isEqualTo(50);
    }

    @Test
    void resolve_lastByteOnly_singleByte() {
        ByteRange range = ByteRange.resolve("bytes=199-199", SIZE);

        assertThat(range).isEqualTo(new ByteRange(199, 199));
        assertThat(range.length()).isEqualTo(1);
    }

    @Test
    void resolve_surroundingWhitespace_ignored() {
        ByteRange range = ByteRange.resolve("  bytes=5-9 ", SIZE);

        assertThat(range).isEqualTo(new ByteRange(5, 9));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=200-299", "bytes=200-200", "bytes=500-600"})
    void resolve_closedRangeStartingAtOrAfterSize_failsRangeInvalid(String header) {
        RegistryException thrown = thrownBy(() -> ByteRange.resolve(header, SIZE));

        assertThat(thrown.code()).isEqualTo(ErrorCode.RANGE_INVALID);
        assertThat(thrown.status()).isEqualTo(416);
    }

    @Test
    void resolve_zeroLengthSuffix_failsRangeInvalid() {
        RegistryException thrown = thrownBy(() -> ByteRange.resolve("bytes=-0", SIZE));

        assertThat(thrown.code()).isEqualTo(ErrorCode.RANGE_INVALID);
    }

    @Test
    void resolve_suffixOfEmptyBlob_failsRangeInvalid() {
        RegistryException thrown = thrownBy(() -> ByteRange.resolve("bytes=-10", 0));

        assertThat(thrown.code()).isEqualTo(ErrorCode.RANGE_INVALID);
        assertThat(thrown.status()).isEqualTo(416);
    }

    @Test
    void resolve_noHeader_wholeBlob() {
        ByteRange range = ByteRange.resolve(null, SIZE);

        assertThat(range).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-9,20-29", "bytes=0-9, 20-29", "bytes=-5,0-1"})
    void resolve_multiRange_wholeBlob(String header) {
        ByteRange range = ByteRange.resolve(header, SIZE);

        assertThat(range).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "bytes",
        "bytes=",
        "bytes=-",
        "bytes=abc",
        "bytes=a-b",
        "bytes=1.5-2",
        "bytes=+1-2",
        "bytes 0-99",
        "0-99",
        "items=0-99",
        "bytes=0-99/200",
        "bytes=50-10"
    })
    void resolve_malformedOrBackwards_wholeBlob(String header) {
        ByteRange range = ByteRange.resolve(header, SIZE);

        assertThat(range).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "0, 99, 200, bytes 0-99/200",
        "190, 199, 200, bytes 190-199/200",
        "0, 0, 1, bytes 0-0/1",
        "4294967296, 8589934591, 8589934592, bytes 4294967296-8589934591/8589934592"
    })
    void contentRange_range_formatsAsHttpHeader(long start, long end, long size, String expected) {
        ByteRange range = new ByteRange(start, end);

        String header = range.contentRange(size);

        assertThat(header).isEqualTo(expected);
    }

    @Test
    void resolve_rangeBeyondIntegerBounds_keepsLongOffsets() {
        long size = 6L * 1024 * 1024 * 1024;

        ByteRange range = ByteRange.resolve("bytes=4294967296-", size);

        assertThat(range).isEqualTo(new ByteRange(4_294_967_296L, size - 1));
        assertThat(range.length()).isEqualTo(size - 4_294_967_296L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=200-", "bytes=300-"})
    void resolve_openEndedStartingAtOrAfterSize_failsRangeInvalid(String header) {
        RegistryException thrown = thrownBy(() -> ByteRange.resolve(header, 200));

        assertThat(thrown.code()).isEqualTo(ErrorCode.RANGE_INVALID);
        assertThat(thrown.status()).isEqualTo(416);
    }
}
