package dev.berth.server.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain and the private key of its first certificate, checked to belong together.
 *
 * @param chain the server certificate first, then any intermediates
 * @param key the private key of {@code chain.get(0)}
 */
record CertifiedKey(List<X509Certificate> chain, PrivateKey key) {
    private static final byte[] PROBE = "berth tls key check".getBytes(StandardCharsets.US_ASCII);

    /**
     * Parses both files' contents and checks that the key signs what the certificate's public key
     * verifies.
     *
     * @throws TlsException naming the file that is unusable
     */
    static CertifiedKey parse(Path chainFile, byte[] chainPem, Path keyFile, byte[] keyPem) {
        List<X509Certificate> chain = PemFiles.certificates(chainFile, chainPem);
        PrivateKey key = PemFiles.privateKey(keyFile, keyPem);

        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null) {
            throw TlsException.unsupportedKey(keyFile, key.getAlgorithm());
        }
        if (!signs(algorithm, key, chain.get(0).getPublicKey())) {
            throw TlsException.keyMismatch(keyFile, chainFile);
        }
        return new CertifiedKey(chain, key);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        switch (keyAlgorithm) {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
                return "SHA256withECDSA";
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                return "EdDSA";
            default:
                return null;
        }
    }

    // A signature round trip works for every key type alike, where comparing key fields would not.
    private static boolean signs(String algorithm, PrivateKey key, PublicKey publicKey) {
        if (!algorithm.equals(signatureAlgorithm(publicKey.getAlgorithm()))) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();

            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
