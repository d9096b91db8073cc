package dev.berth.server.tls;

import static dev.berth.server.tls.TestCertificates.pem;
import static dev.berth.server.tls.TestCertificates.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.server.tls.TestCertificates.Issued;

/** PEM parsing and the key-matches-certificate check, on files under a temporary directory. */
class CertifiedKeyTest {
    private static final KeyPair RSA = TestCertificates.rsa();
    private static final KeyPair OTHER_RSA = TestCertificates.rsa();
    private static final KeyPair EC = TestCertificates.ec();
    private static final Issued CA = TestCertificates.authority(TestCertificates.ec());
    private static final Issued RSA_SERVER = TestCertificates.server(CA, RSA, 10);
    private static final Issued EC_SERVER = TestCertificates.server(CA, EC, 11);

    @TempDir
    Path directory;

    @Test
    void parse_pkcs8RsaKey_loadsPair() {
        CertifiedKey pair = parse(pem(RSA_SERVER.certificate()),
                TestCertificates.pkcs8(RSA.getPrivate()));

        assertThat(pair.leaf()).isEqualTo(RSA_SERVER.certificate());
        assertThat(pair.key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void parse_pkcs1RsaKey_loadsPair() {
        String key = TestCertificates.traditional(RSA);

        CertifiedKey pair = parse(pem(RSA_SERVER.certificate()), key);

        assertThat(key).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(pair.key().getEncoded()).isEqualTo(RSA.getPrivate().getEncoded());
    }

    @Test
    void parse_sec1EcKey_loadsPair() {
        String key = TestCertificates.traditional(EC);

        CertifiedKey pair = parse(pem(EC_SERVER.certificate()), key);

        assertThat(key).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(pair.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void parse_pkcs8EcKey_loadsPair() {
        CertifiedKey pair = parse(pem(EC_SERVER.certificate()),
                TestCertificates.pkcs8(EC.getPrivate()));

        assertThat(pair.leaf()).isEqualTo(EC_SERVER.certificate());
    }

    @Test
    void parse_ecKeyAfterParametersBlock_loadsPair() {
        String key = TestCertificates.withEcParameters(EC);

        CertifiedKey pair = parse(pem(EC_SERVER.certificate()), key);

        assertThat(key).startsWith("-----BEGIN EC PARAMETERS-----");
        assertThat(pair.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void parse_ed25519Key_loadsPair() {
        Issued server = TestCertificates.selfSigned(TestCertificates.ed25519(), 12);

        CertifiedKey pair = parse(pem(server.certificate()),
                TestCertificates.pkcs8(server.keys().getPrivate()));

        assertThat(pair.leaf()).isEqualTo(server.certificate());
    }

    @Test
    void parse_chainWithIntermediate_keepsFileOrder() {
        CertifiedKey pair = parse(pem(RSA_SERVER.certificate(), CA.certificate()),
                TestCertificates.pkcs8(RSA.getPrivate()));

        assertThat(pair.chain()).containsExactly(RSA_SERVER.certificate(), CA.certificate());
    }

    @Test
    void parse_encryptedPkcs8Key_failsNamingKeyFile() {
        assertThatThrownBy(() -> parse(pem(RSA_SERVER.certificate()),
                TestCertificates.encryptedPkcs8(RSA.getPrivate())))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining(directory.resolve("tls.key").toString())
                .hasMessageContaining("is encrypted");
    }

    @Test
    void parse_legacyEncryptedKey_failsNamingKeyFile() {
        String key = TestCertificates.encryptedTraditional(RSA.getPrivate());

        assertThat(key).contains("Proc-Type: 4,ENCRYPTED");
        assertThatThrownBy(() -> parse(pem(RSA_SERVER.certificate()), key))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining(directory.resolve("tls.key").toString())
                .hasMessageContaining("is encrypted");
    }

    @Test
    void parse_keyOfAnotherCertificate_failsNamingBothFiles() {
        String otherKey = TestCertificates.pkcs8(OTHER_RSA.getPrivate());

        assertThatThrownBy(() -> parse(pem(RSA_SERVER.certificate()), otherKey))
                .isInstanceOfSatisfying(TlsException.class,
                        e -> assertThat(e.file()).isEqualTo(directory.resolve("tls.key")))
                .hasMessageContaining("does not match the first certificate in "
                        + directory.resolve("tls.crt"));
    }

    @Test
    void parse_ecKeyForRsaCertificate_failsMismatch() {
        String ecKey = TestCertificates.pkcs8(EC.getPrivate());

        assertThatThrownBy(() -> parse(pem(RSA_SERVER.certificate()), ecKey))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void parse_garbageKeyBlock_failsWithoutRepeatingIt() {
        String garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1icm9rZW4ta2V5LW1hdGVyaWFs\n"
                + "-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> parse(pem(RSA_SERVER.certificate()), garbage))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("is not a valid PEM private key")
                .hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void parse_keyFileWithoutKey_failsNoPrivateKey() {
        String certificate = pem(RSA_SERVER.certificate());

        assertThatThrownBy(() -> parse(certificate, certificate))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("holds no private key");
    }

    @Test
    void parse_truncatedCertificate_failsNamingChainFile() {
        String certificate = pem(RSA_SERVER.certificate());
        String truncated = certificate.substring(0, certificate.length() / 2);

        assertThatThrownBy(() -> parse(truncated, TestCertificates.pkcs8(RSA.getPrivate())))
                .isInstanceOfSatisfying(TlsException.class,
                        e -> assertThat(e.file()).isEqualTo(directory.resolve("tls.crt")))
                .hasMessageContaining("is not valid PEM");
    }

    @Test
    void parse_chainFileWithOnlyAKey_failsNoCertificate() {
        String key = TestCertificates.pkcs8(RSA.getPrivate());

        assertThatThrownBy(() -> parse(key, key))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("holds no certificate");
    }

    @Test
    void read_missingFile_failsNamingFile() {
        Path missing = directory.resolve("absent.pem");

        assertThatThrownBy(() -> PemFiles.read(missing))
                .isInstanceOfSatisfying(TlsException.class,
                        e -> assertThat(e.file()).isEqualTo(missing))
                .hasMessageContaining(missing + " cannot be read: no such file");
    }

    @Test
    void read_fileOverLimit_failsNamingSize() throws Exception {
        Path large = Files.write(directory.resolve("large.pem"), new byte[PemFiles.MAX_BYTES + 1]);

        assertThatThrownBy(() -> PemFiles.read(large))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining(large + " holds " + (PemFiles.MAX_BYTES + 1) + " bytes");
    }

    private CertifiedKey parse(String chainPem, String keyPem) {
        Path chain = write(directory.resolve("tls.crt"), chainPem);
        Path key = write(directory.resolve("tls.key"), keyPem);
        return CertifiedKey.parse(chain, PemFiles.read(chain), key, PemFiles.read(key));
    }
}
