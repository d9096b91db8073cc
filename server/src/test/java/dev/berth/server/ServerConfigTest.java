package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
