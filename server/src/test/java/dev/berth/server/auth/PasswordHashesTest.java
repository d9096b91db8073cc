package dev.berth.server.auth;

import static dev.berth.server.auth.Fixtures.ALICE_HASH;
import static dev.berth.server.auth.Fixtures.ALICE_PASSWORD;
import static dev.berth.server.auth.Fixtures.BOB_HASH;
import static dev.berth.server.auth.Fixtures.BOB_PASSWORD;
import static dev.berth.server.auth.Fixtures.CAROL_HASH;
import static dev.berth.server.auth.Fixtures.CAROL_PASSWORD;
import static dev.berth.server.auth.Fixtures.DAVE_HASH;
import static dev.berth.server.auth.Fixtures.DAVE_PASSWORD;
import static dev.berth.server.auth.Fixtures.EVE_MD5;
import static dev.berth.server.auth.Fixtures.IVAN_HASH;
import static dev.berth.server.auth.Fixtures.IVAN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHashesTest {

    @Test
    void matches_htpasswdHashOfUmlautsColonAtAndBang_true() {
        boolean matches = PasswordHashes.matches(ALICE_PASSWORD, ALICE_HASH);

        assertThat(matches).isTrue();
    }

    @Test
    void matches_htpasswdHashOfPasswordMadeOfColons_true() {
        assertThat(PasswordHashes.matches(BOB_PASSWORD, BOB_HASH)).isTrue();
        assertThat(PasswordHashes.matches("a", BOB_HASH)).isFalse();
        assertThat(PasswordHashes.matches("b:c", BOB_HASH)).isFalse();
    }

    @Test
    void matches_passwordWithSpacesAtBothEnds_onlyTheExactPassword() {
        assertThat(PasswordHashes.matches(CAROL_PASSWORD, CAROL_HASH)).isTrue();
        assertThat(PasswordHashes.matches(CAROL_PASSWORD.strip(), CAROL_HASH)).isFalse();
        assertThat(PasswordHashes.matches(" spaced out", CAROL_HASH)).isFalse();
    }

    @Test
    void matches_greekChineseAndEmojiAsStringOrChars_true() {
        assertThat(PasswordHashes.matches(DAVE_PASSWORD, DAVE_HASH)).isTrue();
        assertThat(PasswordHashes.matches(DAVE_PASSWORD.toCharArray(), DAVE_HASH)).isTrue();
    }

    @Test
    void matches_wrongPasswordOrOtherCase_false() {
        assertThat(PasswordHashes.matches("p\u00e4ssw\u00f6rd: @!X", ALICE_HASH)).isFalse();
        assertThat(PasswordHashes.matches("P\u00c4SSW\u00d6RD: @!X", ALICE_HASH)).isFalse();
        assertThat(PasswordHashes.matches("", ALICE_HASH)).isFalse();
    }

    @Test
    void matches_sameTextWithDecomposedUmlauts_false() {
        String decomposed = "pa\u0308sswo\u0308rd: @!x";

        boolean matches = PasswordHashes.matches(decomposed, ALICE_HASH);

        assertThat(matches).isFalse();
    }

    @Test
    void matches_latin1BytesOfPassword_false() {
        // What a client encoding ISO-8859-1 would send, decoded as UTF-8 replacement characters.
        String misread = "p\ufffdssw\ufffdrd: @!x";

        assertThat(PasswordHashes.matches(misread, ALICE_HASH)).isFalse();
    }

    @Test
    void matches_2aAnd2bSpellingsOfSameHash_true() {
        String variantA = "$2a$" + ALICE_HASH.substring(4);
        String variantB = "$2b$" + ALICE_HASH.substring(4);

        assertThat(PasswordHashes.matches(ALICE_PASSWORD, variantA)).isTrue();
        assertThat(PasswordHashes.matches(ALICE_PASSWORD, variantB)).isTrue();
    }

    @Test
    void matches_longPasswordDifferingAfterByte72_true() {
        String sameFirst72 = "x".repeat(72) + "anything else";

        boolean matches = PasswordHashes.matches(sameFirst72, IVAN_HASH);

        assertThat(PasswordHashes.matches(IVAN_PASSWORD, IVAN_HASH)).isTrue();
        assertThat(matches).as("bcrypt reads 72 bytes: the documented limitation").isTrue();
    }

    @Test
    void matches_unpairedSurrogate_false() {
        assertThat(PasswordHashes.matches("\ud800", ALICE_HASH)).isFalse();
        assertThat(PasswordHashes.matches(new char[] {'a', '\udc00'}, ALICE_HASH)).isFalse();
    }

    @Test
    void matches_md5Hash_throwsWithoutShowingHash() {
        assertThatThrownBy(() -> PasswordHashes.matches("md5pass", EVE_MD5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: $2a$, $2b$ or $2y$")
                .hasMessageNotContaining(EVE_MD5)
                .hasMessageNotContaining("md5pass");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pässwörd: @!x", "a:b:c", " lead and trail ", "Ωmega-密码-🔑",
        "x", "ääääääääääääääääääääääääääääääääääää"})
    void hash_thenMatches_onlyThatPasswordMatches(String password) {
        int lastCodePoint = password.offsetByCodePoints(password.length(), -1);
        String lastChanged = password.substring(0, lastCodePoint) + "y";

        String hash = PasswordHashes.hash(password, 4);

        assertThat(hash).startsWith("$2y$04$").hasSize(60);
        assertThat(PasswordHashes.matches(password, hash)).isTrue();
        assertThat(PasswordHashes.matches(lastChanged, hash)).isFalse();
        assertThat(PasswordHashes.matches(password.substring(1), hash)).isFalse();
    }

    @Test
    void hash_noCostGiven_usesCost10() {
        String hash = PasswordHashes.hash("secret");

        assertThat(PasswordHashes.cost(hash)).isEqualTo(10);
        assertThat(PasswordHashes.matches("secret", hash)).isTrue();
    }

    @Test
    void hash_samePasswordTwice_differentSalts() {
        String first = PasswordHashes.hash("secret", 4);
        String second = PasswordHashes.hash("secret", 4);

        assertThat(first).isNotEqualTo(second);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 3, 32})
    void hash_costOutsideRange_throws(int cost) {
        assertThatThrownBy(() -> PasswordHashes.hash("secret", cost))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost: " + cost + " (expected: 4 to 31)");
    }

    @Test
    void hash_over72BytesInUtf8_throwsWithoutShowingPassword() {
        String password = "ä".repeat(37);

        assertThatThrownBy(() -> PasswordHashes.hash(password, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("74 bytes")
                .hasMessageNotContaining("ä");
    }

    @Test
    void hash_emptyOrUnpairedSurrogate_throws() {
        assertThatThrownBy(() -> PasswordHashes.hash("", 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> PasswordHashes.hash("a\ud800", 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void isBcrypt_variousHashes_onlyWellFormedBcrypt() {
        assertThat(PasswordHashes.isBcrypt(ALICE_HASH)).isTrue();
        assertThat(PasswordHashes.isBcrypt("$2b$" + ALICE_HASH.substring(4))).isTrue();
        assertThat(PasswordHashes.isBcrypt("$2x$" + ALICE_HASH.substring(4))).isFalse();
        assertThat(PasswordHashes.isBcrypt("$2y$03$" + ALICE_HASH.substring(7))).isFalse();
        assertThat(PasswordHashes.isBcrypt("$2y$32$" + ALICE_HASH.substring(7))).isFalse();
        assertThat(PasswordHashes.isBcrypt(ALICE_HASH.substring(0, 59))).isFalse();
        assertThat(PasswordHashes.isBcrypt(ALICE_HASH + " ")).isFalse();
        assertThat(PasswordHashes.isBcrypt(EVE_MD5)).isFalse();
        assertThat(PasswordHashes.isBcrypt(null)).isFalse();
    }

    @Test
    void cost_htpasswdHashes_readsCost() {
        assertThat(PasswordHashes.cost(ALICE_HASH)).isEqualTo(5);
        assertThat(PasswordHashes.cost(DAVE_HASH)).isEqualTo(4);
    }
}
