package dev.berth.server.tls;

import static dev.berth.server.tls.TestCertificates.pem;
import static dev.berth.server.tls.TestCertificates.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;

import dev.berth.server.tls.Loopback.Handshake;
import dev.berth.server.tls.TestCertificates.Issued;

/** A real server on 127.0.0.1 secured by {@link Tls}, reached by the JDK's clients. */
class TlsIT {
    private static final Issued CA = TestCertificates.authority(TestCertificates.ec());
    private static final KeyPair RSA = TestCertificates.rsa();
    private static final Issued SERVER = TestCertificates.server(CA, RSA, 100);
    private static final String CHAIN = pem(SERVER.certificate(), CA.certificate());

    @TempDir
    Path directory;

    private Scheduler scheduler;
    private Tls tls;
    private DisposableServer server;
    private final SSLContext trustingCa = Loopback.trusting(CA.certificate());

    @BeforeEach
    void createScheduler() {
        scheduler = Schedulers.newBoundedElastic(2, 100, "tls-test");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow(Loopback.TIMEOUT);
        }
        if (tls != null) {
            tls.dispose();
        }
        scheduler.dispose();
    }

    @Test
    void apply_http2Client_negotiatesH2() {
        serve(CHAIN, TestCertificates.traditional(RSA));

        HttpClient client = Loopback.client(HttpClient.Version.HTTP_2, trustingCa);

        HttpResponse<String> response = Loopback.get(client, server);

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo("HTTP/2.0");
        assertThat(Loopback.peerCertificate(response)).isEqualTo(SERVER.certificate());
    }

    @Test
    void apply_http11OnlyClient_servesHttp11() {
        serve(CHAIN, TestCertificates.pkcs8(RSA.getPrivate()));

        HttpClient client = Loopback.client(HttpClient.Version.HTTP_1_1, trustingCa);

        HttpResponse<String> response = Loopback.get(client, server);

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("HTTP/1.1");
    }

    @Test
    void apply_clientSendingNoServerName_getsCertificateAndH2() {
        serve(CHAIN, TestCertificates.pkcs8(RSA.getPrivate()));

        Handshake handshake = Loopback.handshake(server, trustingCa, null);

        assertThat(handshake.certificate()).isEqualTo(SERVER.certificate());
        assertThat(handshake.applicationProtocol()).isEqualTo("h2");
    }

    @Test
    void apply_clientSendingServerName_getsSameCertificate() {
        serve(CHAIN, TestCertificates.pkcs8(RSA.getPrivate()));

        Handshake handshake = Loopback.handshake(server, trustingCa, "registry.test");

        assertThat(handshake.certificate()).isEqualTo(SERVER.certificate());
        assertThat(handshake.applicationProtocol()).isEqualTo("h2");
    }

    @Test
    void apply_chainFile_presentsWholeChain() {
        serve(CHAIN, TestCertificates.pkcs8(RSA.getPrivate()));

        Handshake handshake = Loopback.handshake(server, trustingCa, null);

        assertThat(handshake.chain()).containsExactly(SERVER.certificate(), CA.certificate());
    }

    @Test
    void apply_selfSignedEcCertificateWithSec1Key_servesH2() {
        Issued ec = TestCertificates.selfSigned(TestCertificates.ec(), 101);
        serve(pem(ec.certificate()), TestCertificates.traditional(ec.keys()));

        SSLContext trustingEc = Loopback.trusting(ec.certificate());
        HttpClient client = Loopback.client(HttpClient.Version.HTTP_2, trustingEc);

        HttpResponse<String> response = Loopback.get(client, server);

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(Loopback.peerCertificate(response)).isEqualTo(ec.certificate());
    }

    @Test
    void start_missingKeyFile_failsNamingIt() {
        Path chain = write(directory.resolve("tls.crt"), pem(SERVER.certificate()));
        Path key = directory.resolve("tls.key");

        Tls.start(TlsSettings.of(chain, key), scheduler)
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(TlsException.class)
                        .hasMessageContaining(key + " cannot be read: no such file"))
                .verify(Loopback.TIMEOUT);
    }

    @Test
    void start_keyOfAnotherCertificate_failsNamingKeyFile() {
        Path chain = write(directory.resolve("tls.crt"), pem(SERVER.certificate()));
        Path key = write(directory.resolve("tls.key"),
                TestCertificates.pkcs8(TestCertificates.ec().getPrivate()));

        Tls.start(TlsSettings.of(chain, key), scheduler)
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(TlsException.class)
                        .hasMessageContaining(key + " does not match the first certificate in "
                                + chain))
                .verify(Loopback.TIMEOUT);
    }

    @Test
    void start_encryptedKey_failsNamingKeyFile() {
        Path chain = write(directory.resolve("tls.crt"), pem(SERVER.certificate()));
        Path key = write(directory.resolve("tls.key"),
                TestCertificates.encryptedPkcs8(RSA.getPrivate()));

        Tls.start(TlsSettings.of(chain, key), scheduler)
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(TlsException.class)
                        .hasMessageContaining(key + " is encrypted"))
                .verify(Loopback.TIMEOUT);
    }

    private void serve(String chainPem, String keyPem) {
        Path chain = write(directory.resolve("tls.crt"), chainPem);
        Path key = write(directory.resolve("tls.key"), keyPem);
        // Long enough that only the tests' own calls to checkNow() ever re-read the files.
        tls = Tls.start(new TlsSettings(chain, key, Duration.ofHours(1)), scheduler)
                .block(Loopback.TIMEOUT);
        server = Loopback.serve(tls);
    }
}
