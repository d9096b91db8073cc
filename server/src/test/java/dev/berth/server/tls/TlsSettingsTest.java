package dev.berth.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class TlsSettingsTest {
    private static final Path CHAIN = Path.of("/etc/berth/tls.crt");
    private static final Path KEY = Path.of("/etc/berth/tls.key");

    @Test
    void of_twoFiles_checksEveryTenSeconds() {
        TlsSettings settings = TlsSettings.of(CHAIN, KEY);

        assertThat(settings.reloadInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void new_noCertificateChain_failsNamingIt() {
        assertThatThrownBy(() -> TlsSettings.of(null, KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certificateChain: null");
    }

    @Test
    void new_noPrivateKey_failsNamingIt() {
        assertThatThrownBy(() -> TlsSettings.of(CHAIN, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("privateKey: null");
    }

    @Test
    void new_zeroInterval_failsNamingIt() {
        assertThatThrownBy(() -> new TlsSettings(CHAIN, KEY, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reloadInterval: PT0S (expected: a positive duration)");
    }
}
