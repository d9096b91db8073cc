package dev.berth.core;

import static dev.berth.core.RegistryFailures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
    private static final String DIGEST =
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1.2.3", "1", "_", "_private", "A-b_C.d", "3.19-alpine"})
    void parse_validTag_isTagReference(String text) {
        Reference reference = Reference.parse(text);

        assertThat(reference.isDigest()).isFalse();
        assertThat(reference.tag()).isEqualTo(text);
        assertThat(reference.digest()).isNull();
        assertThat(reference).hasToString(text);
    }

    @Test
    void parse_tagOf128Characters_accepted() {
        String tag = "a".repeat(128);

        Reference reference = Reference.parse(tag);

        assertThat(reference.tag()).hasSize(128);
    }

    @Test
    void parse_tagOf129Characters_failsManifestInvalid() {
        String tag = "a".repeat(129);

        RegistryException thrown = thrownBy(() -> Reference.parse(tag));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @ParameterizedTest
    @EmptySource
    @ValueSource(strings = {".hidden", "-dash", "with space", "a/b", "a+b", "t\u00e4g", "tag\n"})
    void parse_malformedTag_failsManifestInvalid(String text) {
        RegistryException thrown = thrownBy(() -> Reference.parse(text));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(thrown.status()).isEqualTo(400);
    }

    @Test
    void parse_digest_isDigestReference() {
        Reference reference = Reference.parse(DIGEST);

        assertThat(reference.isDigest()).isTrue();
        assertThat(reference.digest()).isEqualTo(Digest.parse(DIGEST));
        assertThat(reference.tag()).isNull();
        assertThat(reference).hasToString(DIGEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sha256:abc",
        "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        ":latest",
        "latest:"
    })
    void parse_malformedDigest_failsDigestInvalid(String text) {
        RegistryException thrown = thrownBy(() -> Reference.parse(text));

        assertThat(thrown.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @Test
    void ofTag_null_failsManifestInvalid() {
        RegistryException thrown = thrownBy(() -> Reference.ofTag(null));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void ofTag_digestText_failsManifestInvalid() {
        RegistryException thrown = thrownBy(() -> Reference.ofTag(DIGEST));

        assertThat(thrown.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void isValidTag_null_isFalse() {
        boolean valid = Reference.isValidTag(null);

        assertThat(valid).isFalse();
    }

    @Test
    void of_digest_isDigestReference() {
        Digest digest = Digest.parse(DIGEST);

        Reference reference = Reference.of(digest);

        assertThat(reference.isDigest()).isTrue();
        assertThat(reference).isEqualTo(Reference.parse(DIGEST));
    }

    @Test
    void constructor_neitherTagNorDigest_failsIllegalArgument() {
        assertThatThrownBy(() -> new Reference(null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_bothTagAndDigest_failsIllegalArgument() {
        Digest digest = Digest.parse(DIGEST);

        assertThatThrownBy(() -> new Reference("latest", digest))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isValidTag_randomTags_agreesWithThePattern() {
        // Tags from an alphabet of the characters that matter, with lengths around the 128 limit
        // as well as short ones; the hand-written check must agree with the spec's pattern.
        String alphabet = "aZ0_.-:/~";
        Random random = new Random(43);
        int valid = 0;
        for (int round = 0; round < 100_000; round++) {
            int length = round % 10 == 0 ? 126 + random.nextInt(4) : random.nextInt(7);
            StringBuilder tag = new StringBuilder();
            for (int i = 0; i < length; i++) {
                tag.append(alphabet.charAt(random.nextInt(round % 10 == 0 ? 4 : alphabet.length())));
            }
            String text = tag.toString();
            boolean expected = Reference.tagPattern().matcher(text).matches();
            assertThat(Reference.isValidTag(text)).as(text).isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        assertThat(valid).isGreaterThan(10_000);
    }
}
