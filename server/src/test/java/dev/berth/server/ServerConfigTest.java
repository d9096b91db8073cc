package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @Test
    void parse_nothingGiven_defaultsToPort5000AndDataInWorkingDirectory() {
        ServerConfig config = ServerConfig.parse(new String[0], Map.of());

        assertThat(config.port()).isEqualTo(5000);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.data()).isEqualTo(Path.of("data").toAbsolutePath());
    }

    @Test
    void parse_environmentOnly_usesEnvironment() {
        ServerConfig config = ServerConfig.parse(new String[0],
                Map.of("BERTH_PORT", "5123", "BERTH_DATA", "/srv/berth", "BERTH_HOST", "127.0.0.1"));

        assertThat(config.port()).isEqualTo(5123);
        assertThat(config.data()).isEqualTo(Path.of("/srv/berth"));
        assertThat(config.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void parse_flagAndEnvironment_flagWins() {
        ServerConfig config = ServerConfig.parse(new String[] {"--port", "6000", "--data=/tmp/x"},
                Map.of("BERTH_PORT", "5123", "BERTH_DATA", "/srv/berth"));

        assertThat(config.port()).isEqualTo(6000);
        assertThat(config.data()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void parse_unknownFlag_failsNamingIt() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--prot", "1"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--prot");
    }

    @Test
    void parse_portNotANumber_failsNamingValue() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--port", "http"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http");
    }

    @Test
    void parse_portOutOfRange_fails() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("BERTH_PORT", "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }

    @Test
    void parse_flagWithoutValue_fails() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--data"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing value");
    }

    @Test
    void parse_configFile_readsSectionsAndFlagsStillWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("berth.yaml");
        Files.writeString(file, String.join("\n",
                "port: 6100",
                "data: /srv/from-file",
                "auth:",
                "  users:",
                "    - name: alice",
                "      password: \"$2y$10$abcdefghijklmnopqrstuu\"",
                "      groups: [team-a]",
                "  rules:",
                "    - who: [group:team-a]",
                "      repositories: [\"team-a/**\"]",
                "      actions: [pull, push]",
                "  tokenTtl: 10m"));

        ServerConfig config = ServerConfig.parse(new String[] {"--config", file.toString(), "--port", "6200"},
                Map.of());

        assertThat(config.port()).isEqualTo(6200);
        assertThat(config.data()).isEqualTo(Path.of("/srv/from-file"));
        assertThat(config.auth().users()).singleElement()
                .satisfies(user -> assertThat(user.groups()).containsExactly("team-a"));
        assertThat(config.auth().rules()).hasSize(1);
        assertThat(config.auth().tokenTtl()).isEqualTo("10m");
    }

    @Test
    void parse_configFileWithUnknownKey_failsNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("berth.yaml");
        Files.writeString(file, "prot: 5000\n");

        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--config", file.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prot");
    }

    @Test
    void parse_tlsCertificateWithoutKey_fails() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--tls-cert", "/etc/cert.pem"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both a certificate and a key");
    }

    @Test
    void duration_unitsAndIso_parsed() {
        assertThat(ServerConfig.duration("90s", "x")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ServerConfig.duration("5m", "x")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ServerConfig.duration("30d", "x")).isEqualTo(Duration.ofDays(30));
        assertThat(ServerConfig.duration("PT2H", "x")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> ServerConfig.duration("soon", "auth.tokenTtl"))
                .hasMessageContaining("auth.tokenTtl");
    }

    @Test
    void parse_idleTimeout_fromFileOrTwoMinutes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("berth.yaml");
        Files.writeString(file, "idleTimeout: 30s\n");

        assertThat(ServerConfig.parse(new String[] {"--config", file.toString()}, Map.of()).idleTimeout())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(ServerConfig.parse(new String[0], Map.of()).idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void parse_idleTimeoutZero_failsNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("berth.yaml");
        Files.writeString(file, "idleTimeout: 0s\n");

        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--config", file.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idleTimeout");
    }
}
