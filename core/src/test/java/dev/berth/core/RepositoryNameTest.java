package dev.berth.core;

import static dev.berth.core.RegistryFailures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "a",
        "0",
        "alpine",
        "library/alpine",
        "a-b",
        "a--b",
        "a---b",
        "a_b",
        "a__b",
        "a.b",
        "a.b/c_d",
        "a.b.c",
        "a-b_c.d__e",
        "team/project/sub/image",
        "1/2/3",
        "ghcr.io/owner/tool"
    })
    void of_specGrammar_accepted(String value) {
        RepositoryName name = RepositoryName.of(value);

        assertThat(name.value()).isEqualTo(value);
        assertThat(name).hasToString(value);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "Alpine",
        "library/Alpine",
        "a..b",
        "a._b",
        "a___b",
        "a_-b",
        "a-",
        "-a",
        ".a",
        "_a",
        "a.",
        "a_",
        "/a",
        "a/",
        "/",
        "a//b",
        "a/-b",
        "a/b.",
        "a b",
        "a:b",
        "a@b",
        "caf\u00e9",
        "a\n"
    })
    void of_outsideSpecGrammar_failsNameInvalid(String value) {
        RegistryException thrown = thrownBy(() -> RepositoryName.of(value));

        assertThat(thrown.code()).isEqualTo(ErrorCode.NAME_INVALID);
        assertThat(thrown.status()).isEqualTo(400);
    }

    @Test
    void of_maxLength_accepted() {
        String value = "a".repeat(RepositoryName.MAX_LENGTH);

        RepositoryName name = RepositoryName.of(value);

        assertThat(name.value()).hasSize(255);
    }

    @Test
    void of_maxLengthWithComponents_accepted() {
        String value = "ab/".repeat(84) + "abc";

        RepositoryName name = RepositoryName.of(value);

        assertThat(name.value()).hasSize(255);
    }

    @Test
    void of_overMaxLength_failsNameInvalid() {
        String value = "a".repeat(RepositoryName.MAX_LENGTH + 1);

        RegistryException thrown = thrownBy(() -> RepositoryName.of(value));

        assertThat(thrown.code()).isEqualTo(ErrorCode.NAME_INVALID);
    }

    @Test
    void of_overMaxLengthWithComponents_failsNameInvalid() {
        String value = "ab/".repeat(84) + "abcd";

        RegistryException thrown = thrownBy(() -> RepositoryName.of(value));

        assertThat(thrown.code()).isEqualTo(ErrorCode.NAME_INVALID);
    }

    @Test
    void equals_sameValue_equal() {
        RepositoryName first = RepositoryName.of("library/alpine");

        RepositoryName second = new RepositoryName("library/alpine");

        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
    }

    @Test
    void compareTo_names_ordersByValue() {
        RepositoryName alpine = RepositoryName.of("library/alpine");
        RepositoryName busybox = RepositoryName.of("library/busybox");
        RepositoryName library = RepositoryName.of("library");
        List<RepositoryName> names = new ArrayList<>(List.of(busybox, alpine, library));

        Collections.sort(names);

        assertThat(names).containsExactly(library, alpine, busybox);
    }

    @Test
    void hasValidComponents_randomNames_agreesWithThePattern() {
        // Names from an alphabet of the characters that matter, so that the interesting mixes of
        // runs, separators and slashes come up often; the hand-written check must agree with the
        // documented pattern on every one.
        String alphabet = "ab0._-/A~";
        Random random = new Random(42);
        int valid = 0;
        for (int round = 0; round < 200_000; round++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(9);
            for (int i = 0; i < length; i++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = name.toString();
            boolean expected = !text.isEmpty() && Arrays.stream(text.split("/", -1))
                    .allMatch(component -> RepositoryName.componentPattern().matcher(component).matches());
            assertThat(RepositoryName.hasValidComponents(text)).as(text).isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        assertThat(valid).isGreaterThan(1_000);
    }
}
