package dev.berth.server.tls;

import static dev.berth.server.tls.TestCertificates.pem;
import static dev.berth.server.tls.TestCertificates.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;

import dev.berth.server.tls.Loopback.Handshake;
import dev.berth.server.tls.TestCertificates.Issued;

/** Rotating the files under a running server, as cert-manager and the kubelet do. */
class TlsReloadIT {
    private static final Issued CA = TestCertificates.authority(TestCertificates.ec());
    private static final Issued FIRST = TestCertificates.server(CA, TestCertificates.rsa(), 200);
    private static final Issued SECOND = TestCertificates.server(CA, TestCertificates.rsa(), 201);
    private static final Duration NEVER = Duration.ofHours(1);
    private static final String GARBAGE_KEY =
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path directory;

    private final SSLContext trustingCa = Loopback.trusting(CA.certificate());
    private Scheduler scheduler;
    private Tls tls;
    private DisposableServer server;

    @BeforeEach
    void createScheduler() {
        scheduler = Schedulers.newBoundedElastic(2, 100, "tls-reload-test");
    }

    @AfterEach
    void stop() {
        server.disposeNow(Loopback.TIMEOUT);
        tls.dispose();
        scheduler.dispose();
    }

    @Test
    void checkNow_rotatedPair_newConnectionGetsNewCertificate() {
        serve(writePair(directory, FIRST), NEVER);

        writePair(directory, SECOND);
        tls.checkNow();

        assertThat(newConnectionCertificate()).isEqualTo(SECOND.certificate());
    }

    @Test
    void checkNow_rotatedPair_handshakeWithOrWithoutServerNameGetsNewCertificate() {
        serve(writePair(directory, FIRST), NEVER);

        writePair(directory, SECOND);
        tls.checkNow();
        Handshake withoutName = Loopback.handshake(server, trustingCa, null);
        Handshake withName = Loopback.handshake(server, trustingCa, "registry.test");

        assertThat(withoutName.certificate()).isEqualTo(SECOND.certificate());
        assertThat(withName.certificate()).isEqualTo(SECOND.certificate());
        assertThat(withName.applicationProtocol()).isEqualTo("h2");
    }

    @Test
    void checkNow_rotatedPair_openConnectionKeepsItsSession() {
        serve(writePair(directory, FIRST), NEVER);
        HttpClient client = Loopback.client(HttpClient.Version.HTTP_2, trustingCa);
        X509Certificate before = Loopback.peerCertificate(Loopback.get(client, server));

        writePair(directory, SECOND);
        tls.checkNow();
        X509Certificate after = Loopback.peerCertificate(Loopback.get(client, server));

        assertThat(before).isEqualTo(FIRST.certificate());
        assertThat(after).isEqualTo(FIRST.certificate());
        assertThat(newConnectionCertificate()).isEqualTo(SECOND.certificate());
    }

    @Test
    void checkNow_garbageKey_keepsServingPreviousCertificate() {
        serve(writePair(directory, FIRST), NEVER);

        write(directory.resolve("tls.crt"), pem(SECOND.certificate(), CA.certificate()));
        write(directory.resolve("tls.key"), GARBAGE_KEY);
        tls.checkNow();

        assertThat(newConnectionCertificate()).isEqualTo(FIRST.certificate());
    }

    @Test
    void checkNow_certificateWrittenBeforeItsKey_servesNewPairOnceKeyArrives() {
        serve(writePair(directory, FIRST), NEVER);

        write(directory.resolve("tls.crt"), pem(SECOND.certificate(), CA.certificate()));
        tls.checkNow();
        X509Certificate halfway = newConnectionCertificate();
        write(directory.resolve("tls.key"), TestCertificates.traditional(SECOND.keys()));
        tls.checkNow();

        assertThat(halfway).isEqualTo(FIRST.certificate());
        assertThat(newConnectionCertificate()).isEqualTo(SECOND.certificate());
    }

    @Test
    void checkNow_secretVolumeLinkSwapped_servesNewCertificate() throws IOException {
        writePair(Files.createDirectory(directory.resolve("..2024_01_01")), FIRST);
        publish("..2024_01_01");
        Path chain = Files.createSymbolicLink(directory.resolve("tls.crt"),
                Path.of("..data", "tls.crt"));
        Path key = Files.createSymbolicLink(directory.resolve("tls.key"),
                Path.of("..data", "tls.key"));
        serve(new Pair(chain, key), NEVER);

        writePair(Files.createDirectory(directory.resolve("..2024_02_01")), SECOND);
        publish("..2024_02_01");
        deleteVersion("..2024_01_01");
        tls.checkNow();

        assertThat(newConnectionCertificate()).isEqualTo(SECOND.certificate());
    }

    @Test
    void start_shortInterval_picksUpRotationWithoutBeingAsked() {
        serve(writePair(directory, FIRST), Duration.ofMillis(50));

        writePair(directory, SECOND);

        Flux.interval(Duration.ofMillis(20))
                .map(tick -> tls.certificate())
                .filter(SECOND.certificate()::equals)
                .next()
                .as(StepVerifier::create)
                .expectNext(SECOND.certificate())
                .expectComplete()
                .verify(Loopback.TIMEOUT);
        assertThat(newConnectionCertificate()).isEqualTo(SECOND.certificate());
    }

    private record Pair(Path chain, Path key) {
    }

    private static Pair writePair(Path folder, Issued issued) {
        Path chain = write(folder.resolve("tls.crt"), pem(issued.certificate(), CA.certificate()));
        Path key = write(folder.resolve("tls.key"), TestCertificates.traditional(issued.keys()));
        return new Pair(chain, key);
    }

    private void serve(Pair pair, Duration interval) {
        tls = Tls.start(new TlsSettings(pair.chain(), pair.key(), interval), scheduler)
                .block(Loopback.TIMEOUT);
        server = Loopback.serve(tls);
    }

    /** Points {@code ..data} at {@code version} in one rename, as the kubelet's writer does. */
    private void publish(String version) throws IOException {
        Path next = Files.createSymbolicLink(directory.resolve("..data_tmp"), Path.of(version));
        Files.move(next, directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private X509Certificate newConnectionCertificate() {
        return Loopback.certificateOnNewConnection(server, trustingCa);
    }

    private void deleteVersion(String version) throws IOException {
        Path folder = directory.resolve(version);
        Files.delete(folder.resolve("tls.crt"));
        Files.delete(folder.resolve("tls.key"));
        Files.delete(folder);
    }
}
