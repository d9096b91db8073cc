package dev.berth.server.tls;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A certificate chain or private key file that cannot be used, with the file it is about.
 *
 * <p>Messages name the file and what was expected of it; they never carry the file's content.
 * All messages of the package are written here, in one place.
 */
public final class TlsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final String CHAIN = "tls certificate chain: ";
    private static final String KEY = "tls private key: ";

    private final transient Path file;

    private TlsException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file that could not be used. */
    public Path file() {
        return file;
    }

    static TlsException unreadable(Path file, IOException cause) {
        return new TlsException(file, "tls file: " + file + " cannot be read: " + describe(cause)
                + " (expected: a readable PEM file)", cause);
    }

    static TlsException tooLarge(Path file, long size, int limit) {
        return new TlsException(file, "tls file: " + file + " holds " + size
                + " bytes (expected: a PEM file of at most " + limit + " bytes)", null);
    }

    static TlsException malformedChain(Path file, Exception cause) {
        // Certificates are public, so the parser's own words are safe to repeat here.
        return new TlsException(file, CHAIN + file + " is not valid PEM: " + cause.getMessage()
                + " (expected: CERTIFICATE blocks, server certificate first)", cause);
    }

    static TlsException noCertificate(Path file) {
        return new TlsException(file, CHAIN + file + " holds no certificate"
                + " (expected: CERTIFICATE blocks, server certificate first)", null);
    }

    static TlsException malformedKey(Path file, Exception cause) {
        // The cause's own message is left out: a key parser may quote what it failed on.
        return new TlsException(file, KEY + file + " is not a valid PEM private key"
                + " (expected: a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)", cause);
    }

    static TlsException noPrivateKey(Path file) {
        return new TlsException(file, KEY + file + " holds no private key"
                + " (expected: a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)", null);
    }

    static TlsException encryptedKey(Path file) {
        return new TlsException(file, KEY + file + " is encrypted"
                + " (expected: an unencrypted key; Berth takes no key passphrase)", null);
    }

    static TlsException unsupportedKey(Path file, String algorithm) {
        return new TlsException(file, KEY + file + " holds a key of type " + algorithm
                + " (expected: an RSA, EC or EdDSA key)", null);
    }

    static TlsException keyMismatch(Path keyFile, Path chainFile) {
        return new TlsException(keyFile, KEY + keyFile + " does not match the first certificate in "
                + chainFile + " (expected: the private key of the server certificate)", null);
    }

    static TlsException unusable(Path chainFile, Exception cause) {
        return new TlsException(chainFile, CHAIN + chainFile + " and its key cannot serve TLS: "
                + cause.getClass().getSimpleName()
                + " (expected: a server certificate and key the JDK accepts)", cause);
    }

    private static String describe(Exception cause) {
        if (cause instanceof NoSuchFileException) {
            return "no such file";
        }
        if (cause instanceof AccessDeniedException) {
            return "access denied";
        }
        return cause.getClass().getSimpleName();
    }
}
