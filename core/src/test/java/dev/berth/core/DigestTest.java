package dev.berth.core;

import static dev.berth.core.RegistryFailures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
    private static final String EMPTY_SHA256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String EMPTY_SHA512 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc"
            + "83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    private static final String ABC_SHA256 =
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void parse_sha256_splitsAlgorithmAndHex() {
        Digest digest = Digest.parse("sha256:" + EMPTY_SHA256);

        assertThat(digest.algorithm()).isEqualTo(Digest.SHA256);
        assertThat(digest.hex()).isEqualTo(EMPTY_SHA256);
    }

    @Test
    void parse_sha512_splitsAlgorithmAndHex() {
        Digest digest = Digest.parse("sha512:" + EMPTY_SHA512);

        assertThat(digest.algorithm()).isEqualTo(Digest.SHA512);
        assertThat(digest.hex()).isEqualTo(EMPTY_SHA512);
    }

    @Test
    void parse_uppercaseHex_failsDigestInvalid() {
        String text = "sha256:" + EMPTY_SHA256.toUpperCase();

        RegistryException thrown = thrownBy(() -> Digest.parse(text));

        assertThat(thrown.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
        assertThat(thrown.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 63, 65, 128})
    void parse_sha256WrongLength_failsDigestInvalid(int length) {
        String text = "sha256:" + "a".repeat(length);

        RegistryException thrown = thrownBy(() -> Digest.parse(text));

        assertThat(thrown.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 127, 129})
    void parse_sha512WrongLength_failsDigestInvalid(int length) {
        String text = "sha512:" + "a".repeat(length);

        RegistryException thrown = thrownBy(() -> Digest.parse(text));

        assertThat(thrown.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "sha384:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    })
    void parse_unsupportedAlgorithm_failsDigestInvalid(String text) {
        RegistryException thrown = thrownBy(() -> Digest.parse(text));

        assertThat(thrown.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ":e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "sha256",
        "sha256:",
        "sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    })
    void parse_missingPart_failsDigestInvalid(String text) {
        RegistryException thrown = thrownBy(() -> Digest.parse(text));

        assertThat(thrown.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\n", "g", ":", "-"})
    void parse_foreignCharacterInHex_failsDigestInvalid(String character) {
        String text = "sha256:" + EMPTY_SHA256.substring(1) + character;

        RegistryException thrown = thrownBy(() -> Digest.parse(text));

        assertThat(thrown.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @Test
    void constructor_nullHex_failsDigestInvalid() {
        RegistryException thrown = thrownBy(() -> new Digest(Digest.SHA256, null));

        assertThat(thrown.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @Test
    void sha256_emptyInput_isWellKnownDigest() {
        Digest digest = Digest.sha256(new byte[0]);

        assertThat(digest).hasToString("sha256:" + EMPTY_SHA256);
    }

    @Test
    void sha256_text_hashesItsUtf8Bytes() {
        Digest fromText = Digest.sha256("abc");
        Digest accented = Digest.sha256("\u00e9");

        assertThat(fromText).hasToString("sha256:" + ABC_SHA256);
        assertThat(accented)
                .isEqualTo(Digest.sha256("\u00e9".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(Digest.sha256("\u00e9".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void recompute_sha512Digest_hashesWithSha512() {
        Digest expected = Digest.parse("sha512:" + EMPTY_SHA512);

        Digest recomputed = expected.recompute(new byte[0]);

        assertThat(recomputed).isEqualTo(expected);
    }

    @Test
    void recompute_otherContent_differs() {
        Digest empty = Digest.parse("sha256:" + EMPTY_SHA256);

        Digest recomputed = empty.recompute("abc".getBytes(StandardCharsets.UTF_8));

        assertThat(recomputed).hasToString("sha256:" + ABC_SHA256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:" + EMPTY_SHA256, "sha512:" + EMPTY_SHA512})
    void toString_parsedDigest_roundTrips(String text) {
        Digest digest = Digest.parse(text);

        assertThat(digest.toString()).isEqualTo(text);
        assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
    }

    @Test
    void equals_sameText_equalWithSameHashCode() {
        Digest first = Digest.parse("sha256:" + ABC_SHA256);

        Digest second = Digest.parse("sha256:" + ABC_SHA256);

        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
    }

    @Test
    void compareTo_digests_ordersByTextAndAgreesWithEquals() {
        Digest low = Digest.parse("sha256:" + "0".repeat(64));
        Digest high = Digest.parse("sha256:" + "f".repeat(64));
        Digest longer = Digest.parse("sha512:" + "0".repeat(128));
        List<Digest> digests = new ArrayList<>(List.of(longer, high, low));

        Collections.sort(digests);

        assertThat(digests).containsExactly(low, high, longer);
        assertThat(low.compareTo(Digest.parse(low.toString()))).isZero();
        assertThat(low.compareTo(high)).isNegative();
        assertThat(high.compareTo(low)).isPositive();
    }

    @Test
    void looksLikeDigest_tagOrDigest_tellsThemApart() {
        boolean tag = Digest.looksLikeDigest("v1.2.3");
        boolean digest = Digest.looksLikeDigest("sha256:" + EMPTY_SHA256);

        assertThat(tag).isFalse();
        assertThat(digest).isTrue();
    }

    @Test
    void isLowerHex_randomText_agreesWithThePattern() {
        String alphabet = "0af9gA:-";
        Random random = new Random(44);
        int valid = 0;
        for (int round = 0; round < 100_000; round++) {
            int length = random.nextInt(6);
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < length; i++) {
                hex.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = hex.toString();
            boolean expected = Digest.hexPattern().matcher(text).matches();
            assertThat(Digest.isLowerHex(text)).as(text).isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        assertThat(valid).isGreaterThan(1_000);
    }
}
