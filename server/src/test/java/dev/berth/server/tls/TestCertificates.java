package dev.berth.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Key pairs, certificates and PEM files for the TLS tests, made with BouncyCastle at run time.
 *
 * <p>Server certificates name {@code localhost}, {@code registry.test} and {@code 127.0.0.1}, so
 * the JDK client's host name check passes for the loopback address the tests connect to.
 */
final class TestCertificates {
    private static final char[] PASSPHRASE = "correct horse".toCharArray();
    /** Encrypting a key needs ciphers the JDK lacks; parsing never does, so only tests use this. */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private TestCertificates() {
    }

    /** A certificate and the key pair it certifies. */
    record Issued(X509Certificate certificate, KeyPair keys) {
    }

    static KeyPair rsa() {
        return generate("RSA", 2048);
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519() {
        return generate("Ed25519", 0);
    }

    /** A self-signed certificate authority. */
    static Issued authority(KeyPair keys) {
        X500Name name = new X500Name("CN=Berth Test CA");
        X509v3CertificateBuilder builder = builder(name, name, keys, BigInteger.ONE);
        extend(builder, Extension.basicConstraints, new BasicConstraints(true));
        extend(builder, Extension.keyUsage, new KeyUsage(KeyUsage.keyCertSign));
        return new Issued(sign(builder, keys.getPrivate()), keys);
    }

    /** A server certificate for {@code keys}, signed by {@code issuer}. */
    static Issued server(Issued issuer, KeyPair keys, long serial) {
        X500Name issuerName = X500Name.getInstance(
                issuer.certificate().getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder builder = builder(issuerName, new X500Name("CN=registry.test"),
                keys, BigInteger.valueOf(serial));
        return new Issued(sign(withServerNames(builder), issuer.keys().getPrivate()), keys);
    }

    /** A self-signed server certificate for {@code keys}. */
    static Issued selfSigned(KeyPair keys, long serial) {
        X500Name name = new X500Name("CN=registry.test");
        X509v3CertificateBuilder builder = builder(name, name, keys, BigInteger.valueOf(serial));
        return new Issued(sign(withServerNames(builder), keys.getPrivate()), keys);
    }

    /** PEM blocks for certificates or keys, in the given order; keys in their traditional form. */
    static String pem(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** {@code BEGIN PRIVATE KEY}. */
    static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code BEGIN RSA PRIVATE KEY} (PKCS#1) for an RSA pair; {@code BEGIN EC PRIVATE KEY} (SEC1)
     * for an EC pair, with the curve and public key inside as OpenSSL and Go write it.
     */
    static String traditional(KeyPair keys) {
        if (!"EC".equals(keys.getPrivate().getAlgorithm())) {
            return pem(keys.getPrivate());
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        try {
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            SubjectPublicKeyInfo publicInfo = SubjectPublicKeyInfo.getInstance(
                    keys.getPublic().getEncoded());
            ASN1BitString publicKey = publicInfo.getPublicKeyData();
            ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), publicKey,
                    info.getPrivateKeyAlgorithm().getParameters());
            return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An EC key after an {@code EC PARAMETERS} block, as {@code openssl ecparam -genkey} does. */
    static String withEcParameters(KeyPair keys) {
        try {
            PemObject parameters = new PemObject("EC PARAMETERS",
                    SECObjectIdentifiers.secp256r1.getEncoded());
            return pem(parameters) + traditional(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code BEGIN ENCRYPTED PRIVATE KEY}. */
    static String encryptedPkcs8(PrivateKey key) {
        try {
            OutputEncryptor encryptor =
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BOUNCY_CASTLE)
                    .setPassword(PASSPHRASE)
                    .build();
            return pem(new JcaPKCS8Generator(key, encryptor));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code BEGIN RSA PRIVATE KEY} with OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED}. */
    static String encryptedTraditional(PrivateKey key) {
        try {
            return pem(new JcaMiscPEMGenerator(key, new JcePEMEncryptorBuilder("AES-256-CBC")
                    .setProvider(BOUNCY_CASTLE)
                    .build(PASSPHRASE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (size > 0) {
                generator.initialize(size);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys,
            BigInteger serial) {
        // The JDK client checks validity against the real clock, so these dates follow it.
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, serial,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                subject, keys.getPublic());
    }

    private static X509v3CertificateBuilder withServerNames(X509v3CertificateBuilder builder) {
        GeneralNames names = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.dNSName, "registry.test"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        });
        return extend(builder, Extension.subjectAlternativeName, names);
    }

    private static X509v3CertificateBuilder extend(X509v3CertificateBuilder builder,
            ASN1ObjectIdentifier type, ASN1Encodable value) {
        try {
            return builder.addExtension(type, false, value);
        } catch (CertIOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        String algorithm;
        switch (issuerKey.getAlgorithm()) {
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "EC":
                algorithm = "SHA256withECDSA";
                break;
            default:
                algorithm = "Ed25519";
        }
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
