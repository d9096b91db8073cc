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
import static dev.berth.server.auth.Fixtures.FRANK_SHA;
import static dev.berth.server.auth.Fixtures.GINA_CRYPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdTest {
    @TempDir
    Path dir;

    @Test
    void read_fileWrittenByHtpasswd_everyUserVerifiesWithExactPassword() throws IOException {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, "# team registry users\n\n"
                + "alice:" + ALICE_HASH + "\n"
                + "bob:" + BOB_HASH + "\n"
                + "carol:" + CAROL_HASH + "\n"
                + "   \n"
                + "dave:" + DAVE_HASH + "\n", StandardCharsets.UTF_8);

        Htpasswd htpasswd = Htpasswd.read(file);

        assertThat(htpasswd.hashes()).containsOnlyKeys("alice", "bob", "carol", "dave");
        assertThat(PasswordHashes.matches(ALICE_PASSWORD, htpasswd.hashes().get("alice"))).isTrue();
        assertThat(PasswordHashes.matches(BOB_PASSWORD, htpasswd.hashes().get("bob"))).isTrue();
        assertThat(PasswordHashes.matches(CAROL_PASSWORD, htpasswd.hashes().get("carol"))).isTrue();
        assertThat(PasswordHashes.matches(DAVE_PASSWORD, htpasswd.hashes().get("dave"))).isTrue();
    }

    @Test
    void read_windowsLineEndingsAndByteOrderMark_hashesWithoutCarriageReturn() throws IOException {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, "\uFEFFalice:" + ALICE_HASH + "\r\nbob:" + BOB_HASH + "\r\n",
                StandardCharsets.UTF_8);

        Htpasswd htpasswd = Htpasswd.read(file);

        assertThat(htpasswd.hashes())
                .containsEntry("alice", ALICE_HASH)
                .containsEntry("bob", BOB_HASH);
    }

    @Test
    void read_notUtf8_throwsNamingFile() throws IOException {
        Path file = dir.resolve("htpasswd");
        Files.write(file, new byte[] {'j', (byte) 0xfc, 'r', 'g', ':', '$'});

        assertThatThrownBy(() -> Htpasswd.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void parse_nonBcryptHashes_skippedWithOneWarnEachNamingUserAndLineNotHash() {
        List<String> lines = List.of("alice:" + ALICE_HASH, "eve:" + EVE_MD5, "frank:" + FRANK_SHA,
                "gina:" + GINA_CRYPT, "plain:hunter2");

        Htpasswd htpasswd;
        List<String> warnings;
        try (LogCapture log = new LogCapture(Htpasswd.class)) {
            htpasswd = Htpasswd.parse(lines, "users.htpasswd");
            warnings = log.warnings();
        }

        assertThat(htpasswd.hashes()).containsOnlyKeys("alice");
        assertThat(warnings).hasSize(4);
        assertThat(warnings.get(0))
                .contains("user=eve", "line=2", "scheme=apr1-md5", "file=users.htpasswd");
        assertThat(warnings.get(1)).contains("user=frank", "line=3", "scheme=sha1");
        assertThat(warnings.get(2)).contains("user=gina", "line=4", "scheme=crypt-des");
        assertThat(warnings.get(3)).contains("user=plain", "line=5");
        assertThat(String.join("\n", warnings))
                .doesNotContain(EVE_MD5, FRANK_SHA, GINA_CRYPT, "hunter2", "QDbzYdgr", "z0jT3Tdv");
    }

    @Test
    void parse_userTwice_laterLineWinsWithWarn() {
        List<String> lines = List.of("alice:" + BOB_HASH, "bob:" + BOB_HASH, "alice:" + ALICE_HASH);

        Htpasswd htpasswd;
        List<String> warnings;
        try (LogCapture log = new LogCapture(Htpasswd.class)) {
            htpasswd = Htpasswd.parse(lines, "users.htpasswd");
            warnings = log.warnings();
        }

        assertThat(htpasswd.hashes()).containsEntry("alice", ALICE_HASH).hasSize(2);
        assertThat(warnings).singleElement().asString()
                .contains("user=alice", "line=3", "previous=1")
                .doesNotContain(ALICE_HASH, BOB_HASH);
    }

    @Test
    void parse_lineWithoutColonOrName_skippedWithoutShowingIt() {
        List<String> lines = List.of("hunter2", ":" + ALICE_HASH, "bob:" + BOB_HASH);

        Htpasswd htpasswd;
        List<String> warnings;
        try (LogCapture log = new LogCapture(Htpasswd.class)) {
            htpasswd = Htpasswd.parse(lines, "users.htpasswd");
            warnings = log.warnings();
        }

        assertThat(htpasswd.hashes()).containsOnlyKeys("bob");
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("line=1").doesNotContain("hunter2");
        assertThat(warnings.get(1)).contains("line=2").doesNotContain(ALICE_HASH);
    }

    @Test
    void parse_whitespaceAroundLineAndCommentedUser_trimsLineAndIgnoresComment() {
        List<String> lines = List.of("  alice:" + ALICE_HASH + "  ", "#bob:" + BOB_HASH);

        Htpasswd htpasswd = Htpasswd.parse(lines, "users.htpasswd");

        assertThat(htpasswd.hashes()).containsExactly(Map.entry("alice", ALICE_HASH));
    }

    @Test
    void parse_colonAfterHash_splitsAtFirstColonSoHashIsMalformed() {
        List<String> lines = List.of("alice:" + ALICE_HASH + ":admins");

        Htpasswd htpasswd;
        List<String> warnings;
        try (LogCapture log = new LogCapture(Htpasswd.class)) {
            htpasswd = Htpasswd.parse(lines, "users.htpasswd");
            warnings = log.warnings();
        }

        assertThat(htpasswd.hashes()).isEmpty();
        assertThat(warnings).singleElement().asString()
                .contains("user=alice", "scheme=bcrypt-malformed");
    }

    @Test
    void toString_anyFile_countsUsersWithoutHashes() {
        Htpasswd htpasswd = Htpasswd.parse(List.of("alice:" + ALICE_HASH), "users.htpasswd");

        assertThat(htpasswd).hasToString("Htpasswd[users=1]");
    }
}
