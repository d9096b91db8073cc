package dev.berth.server.tls;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the server's TLS certificate chain and private key live, and how often both files are
 * checked for a rotation.
 *
 * <p>The constructor checks only the values; {@link Tls#start} reads both files and fails when
 * either is missing, unreadable or not a matching pair.
 *
 * @param certificateChain a PEM file holding the server certificate first, then any
 *         intermediates (cert-manager's {@code tls.crt})
 * @param privateKey a PEM file holding the unencrypted private key of the server certificate, as
 *         PKCS#8, PKCS#1 RSA or SEC1 EC (cert-manager's {@code tls.key})
 * @param reloadInterval how often both files are re-read to pick up a rotated pair
 */
public record TlsSettings(Path certificateChain, Path privateKey, Duration reloadInterval) {
    /** How often the files are checked when nothing else is configured. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public TlsSettings {
        if (certificateChain == null) {
            throw new IllegalArgumentException(
                    "certificateChain: null (expected: the path of a PEM certificate chain file)");
        }
        if (privateKey == null) {
            throw new IllegalArgumentException(
                    "privateKey: null (expected: the path of a PEM private key file)");
        }
        if (reloadInterval == null || reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException(
                    "reloadInterval: " + reloadInterval + " (expected: a positive duration)");
        }
    }

    /** Settings for the two files, checked every {@link #DEFAULT_RELOAD_INTERVAL}. */
    public static TlsSettings of(Path certificateChain, Path privateKey) {
        return new TlsSettings(certificateChain, privateKey, DEFAULT_RELOAD_INTERVAL);
    }
}
