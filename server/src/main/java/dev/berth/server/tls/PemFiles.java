package dev.berth.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM certificate chains and private keys with BouncyCastle's parser, converting them to
 * JCA objects with the JDK's own providers.
 *
 * <p>Keys come as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}, what
 * cert-manager writes by default) or SEC1 EC ({@code EC PRIVATE KEY}, possibly after an
 * {@code EC PARAMETERS} block as {@code openssl ecparam -genkey} writes it). Encrypted keys in
 * either the PKCS#8 or the legacy OpenSSL form are refused.
 *
 * <p>Limitation: a SEC1 EC key that leaves out its curve (OpenSSL, Go and cert-manager always
 * write it) is refused as not a valid key, even after an {@code EC PARAMETERS} block naming one.
 */
final class PemFiles {
    /** Far above any real chain or key; refusing more bounds what a wrong path can cost. */
    static final int MAX_BYTES = 1 << 20;

    private static final JcaX509CertificateConverter CERTIFICATES =
            new JcaX509CertificateConverter();
    private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

    private PemFiles() {
    }

    /** The bytes of {@code file}, following symbolic links as they stand now. */
    static byte[] read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw TlsException.tooLarge(file, size, MAX_BYTES);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw TlsException.unreadable(file, e);
        }
    }

    /** The certificates of a chain file in file order; other blocks are skipped. */
    static List<X509Certificate> certificates(Path file, byte[] pem) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Object block : blocks(pem)) {
                if (block instanceof X509CertificateHolder) {
                    chain.add(CERTIFICATES.getCertificate((X509CertificateHolder) block));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw TlsException.malformedChain(file, e);
        }

        if (chain.isEmpty()) {
            throw TlsException.noCertificate(file);
        }
        return List.copyOf(chain);
    }

    /** The first private key of a key file; parameter blocks before it are skipped. */
    static PrivateKey privateKey(Path file, byte[] pem) {
        List<Object> blocks;
        try {
            blocks = blocks(pem);
        } catch (IOException | RuntimeException e) {
            throw TlsException.malformedKey(file, e);
        }

        for (Object block : blocks) {
            if (block instanceof PEMEncryptedKeyPair
                    || block instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw TlsException.encryptedKey(file);
            }
            if (block instanceof PEMKeyPair) {
                return convert(file, ((PEMKeyPair) block).getPrivateKeyInfo());
            }
            if (block instanceof PrivateKeyInfo) {
                return convert(file, (PrivateKeyInfo) block);
            }
        }
        throw TlsException.noPrivateKey(file);
    }

    private static PrivateKey convert(Path file, PrivateKeyInfo info) {
        try {
            return KEYS.getPrivateKey(info);
        } catch (PEMException | RuntimeException e) {
            throw TlsException.malformedKey(file, e);
        }
    }

    // BouncyCastle reports bad Base64 or DER with unchecked exceptions: callers catch both kinds.
    private static List<Object> blocks(byte[] pem) throws IOException {
        List<Object> blocks = new ArrayList<>();
        Reader reader = new InputStreamReader(new ByteArrayInputStream(pem),
                StandardCharsets.US_ASCII);
        try (PEMParser parser = new PEMParser(reader)) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                blocks.add(block);
            }
        }
        return blocks;
    }
}
