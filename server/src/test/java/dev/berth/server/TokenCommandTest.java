package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.storage.AccessToken;
import dev.berth.storage.Storage;

/**
 * {@code berth token} must write to the data directory the server uses, however that directory
 * was named: a token kept anywhere else is one the server never sees.
 */
class TokenCommandTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void create_dataOnlyInConfigFile_writesTokenThere() throws Exception {
        Path data = temp.resolve("from-config");
        Path config = writeConfig(data);

        Run created = run(Map.of(), "create", "--config", config.toString(), "--name", "ci",
                "--repository", "team/*", "--actions", "pull,push");

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(tokensIn(data)).extracting(AccessToken::name).containsExactly("ci");
    }

    @Test
    void list_configFromEnvironment_readsTheSameDirectory() throws Exception {
        Path data = temp.resolve("from-env-config");
        Path config = writeConfig(data);
        Map<String, String> env = Map.of("BERTH_CONFIG", config.toString());
        run(env, "create", "--name", "deploy", "--repository", "apps/*", "--actions", "pull");

        Run listed = run(env, "list");

        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("deploy").contains("apps/*");
        assertThat(tokensIn(data)).extracting(AccessToken::name).containsExactly("deploy");
    }

    @Test
    void create_dataFlagAndConfig_flagWins() throws Exception {
        Path fromConfig = temp.resolve("from-config");
        Path fromFlag = temp.resolve("from-flag");
        Path config = writeConfig(fromConfig);

        Run created = run(Map.of(), "create", "--config", config.toString(), "--data", fromFlag.toString(),
                "--name", "ci", "--repository", "team/*", "--actions", "pull");

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(tokensIn(fromFlag)).extracting(AccessToken::name).containsExactly("ci");
        assertThat(fromConfig).doesNotExist();
    }

    @Test
    void create_configFileMissing_exitsTwoNamingIt() {
        Path missing = temp.resolve("missing.yaml");

        Run created = run(Map.of(), "create", "--config", missing.toString(), "--name", "ci",
                "--repository", "team/*", "--actions", "pull");

        assertThat(created.exitCode()).isEqualTo(2);
        assertThat(created.err()).contains("missing.yaml");
    }

    private Path writeConfig(Path data) throws Exception {
        Path config = temp.resolve("berth.yaml");
        Files.writeString(config, "data: " + data + "\n");
        return config;
    }

    private static List<AccessToken> tokensIn(Path data) {
        Storage storage = Storage.open(data, Storage.Settings.defaults(), CLOCK).block(TIMEOUT);
        try {
            return storage.accessTokens().list().collectList().block(TIMEOUT);
        } finally {
            storage.close().block(TIMEOUT);
        }
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = TokenCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String out, String err) {
    }
}
