package dev.berth.server.tls;

import static dev.berth.server.tls.TestCertificates.pem;
import static dev.berth.server.tls.TestCertificates.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.berth.server.tls.TestCertificates.Issued;

/** The reload schedule on virtual time, and what the reloader logs; no network. */
class CertificateReloaderTest {
    private static final Issued CA = TestCertificates.authority(TestCertificates.ec());
    private static final Issued FIRST = TestCertificates.server(CA, TestCertificates.ec(), 300);
    private static final Issued SECOND = TestCertificates.server(CA, TestCertificates.ec(), 301);
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(CertificateReloader.class);
    private Path chain;
    private Path key;
    private Tls tls;

    @BeforeEach
    void start() {
        logs.start();
        logger.addAppender(logs);
        chain = directory.resolve("tls.crt");
        key = directory.resolve("tls.key");
        writePair(FIRST);
        tls = Tls.start(new TlsSettings(chain, key, INTERVAL), time).block(Loopback.TIMEOUT);
    }

    @AfterEach
    void stop() {
        tls.dispose();
        time.dispose();
        logger.detachAppender(logs);
    }

    @Test
    void watch_intervalElapsed_servesRotatedPair() {
        writePair(SECOND);

        time.advanceTimeBy(INTERVAL);

        assertThat(tls.certificate()).isEqualTo(SECOND.certificate());
    }

    @Test
    void watch_intervalNotYetElapsed_keepsPair() {
        writePair(SECOND);

        time.advanceTimeBy(INTERVAL.minusSeconds(1));

        assertThat(tls.certificate()).isEqualTo(FIRST.certificate());
    }

    @Test
    void dispose_thenRotation_keepsPairAndStopsChecking() {
        tls.dispose();
        writePair(SECOND);

        time.advanceTimeBy(INTERVAL.multipliedBy(3));

        assertThat(tls.isDisposed()).isTrue();
        assertThat(tls.certificate()).isEqualTo(FIRST.certificate());
    }

    @Test
    void start_validPair_logsCertificateOnceWithoutKeyMaterial() {
        time.advanceTimeBy(INTERVAL.multipliedBy(3));

        assertThat(messages(Level.INFO)).singleElement().asString()
                .startsWith("tls certificate loaded subject=CN=registry.test serial=12c notAfter=")
                .doesNotContain("PRIVATE");
    }

    @Test
    void watch_sameBrokenPairSeenThreeTimes_warnsOnceNamingFile() {
        write(key, "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----\n");

        time.advanceTimeBy(INTERVAL.multipliedBy(3));

        assertThat(tls.certificate()).isEqualTo(FIRST.certificate());
        assertThat(messages(Level.WARN)).singleElement().asString()
                .startsWith("tls reload failed, keeping the served certificate file=" + key
                        + " serial=12c")
                .doesNotContain("bm90IGEga2V5");
    }

    @Test
    void watch_brokenPairThenFixed_servesFixedPair() {
        write(chain, pem(SECOND.certificate()));
        time.advanceTimeBy(INTERVAL);

        write(key, TestCertificates.pkcs8(SECOND.keys().getPrivate()));
        time.advanceTimeBy(INTERVAL);

        assertThat(tls.certificate()).isEqualTo(SECOND.certificate());
        assertThat(messages(Level.WARN)).hasSize(1);
        assertThat(messages(Level.INFO)).hasSize(2).last().asString().contains("serial=12d");
    }

    @Test
    void watch_keyFileGoneThenRestored_warnsOnceAndReloadsNothing() throws Exception {
        byte[] original = Files.readAllBytes(key);
        Files.delete(key);
        time.advanceTimeBy(INTERVAL.multipliedBy(2));

        Files.write(key, original);
        time.advanceTimeBy(INTERVAL.multipliedBy(2));

        assertThat(tls.certificate()).isEqualTo(FIRST.certificate());
        assertThat(messages(Level.WARN)).singleElement().asString().contains("no such file");
        assertThat(messages(Level.INFO)).hasSize(1);
    }

    private void writePair(Issued issued) {
        write(chain, pem(issued.certificate(), CA.certificate()));
        write(key, TestCertificates.traditional(issued.keys()));
    }

    private List<String> messages(Level level) {
        return logs.list.stream()
                .filter(event -> event.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
    }
}
