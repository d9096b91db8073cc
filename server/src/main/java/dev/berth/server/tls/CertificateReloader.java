package dev.berth.server.tls;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.SslProvider;

/**
 * Holds the {@link SslProvider} that new handshakes use, and replaces it when the certificate
 * chain or key file changes.
 *
 * <p>Each check reads both files whole, following symbolic links as they stand at that moment, and
 * compares a SHA-256 over both contents with the pair seen last. Content rather than modification
 * time: a Kubernetes secret volume rotates by swapping its {@code ..data} link, which leaves the
 * links a pod opens untouched, and a same-sized rewrite inside the file system's timestamp
 * granularity would go unseen. The files are a few kilobytes, so reading them is cheap.
 *
 * <p>A pair that fails to load is remembered too: it is warned about once and tried again only
 * once either file changes, so a rotation caught half-written costs one WARN and heals on the next
 * check after the writer finishes.
 */
final class CertificateReloader {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final TlsSettings settings;
    private volatile Served served;
    /** The state of the files at the last check, loaded or not; guarded by {@code this}. */
    private String seen;

    private CertificateReloader(TlsSettings settings, Served served) {
        this.settings = settings;
        this.served = served;
        this.seen = served.state();
    }

    /**
     * Reads and checks both files; blocks on disk.
     *
     * @throws TlsException naming the file that is unusable
     */
    static CertificateReloader load(TlsSettings settings) {
        byte[] chainPem = PemFiles.read(settings.certificateChain());
        byte[] keyPem = PemFiles.read(settings.privateKey());
        try {
            Served served = serve(settings, chainPem, keyPem, state(chainPem, keyPem));
            return new CertificateReloader(settings, served);
        } finally {
            Arrays.fill(keyPem, (byte) 0);
        }
    }

    /** The provider for a handshake starting now; never blocks. */
    SslProvider sslProvider() {
        return served.provider();
    }

    X509Certificate certificate() {
        return served.pair().leaf();
    }

    /** Checks the files every reload interval on {@code scheduler} until the result is disposed. */
    Disposable watch(Scheduler scheduler) {
        long millis = settings.reloadInterval().toMillis();
        return scheduler.schedulePeriodically(this::checkQuietly, millis, millis,
                TimeUnit.MILLISECONDS);
    }

    /** Re-reads both files and serves them from the next handshake on if they changed and load. */
    synchronized void check() {
        byte[] chainPem;
        byte[] keyPem;
        try {
            chainPem = PemFiles.read(settings.certificateChain());
            keyPem = PemFiles.read(settings.privateKey());
        } catch (TlsException e) {
            reject("unreadable: " + e.getMessage(), e);
            return;
        }

        String state = state(chainPem, keyPem);
        try {
            if (state.equals(seen) || state.equals(served.state())) {
                seen = state;
                return;
            }
            served = serve(settings, chainPem, keyPem, state);
            seen = state;
        } catch (TlsException e) {
            reject(state, e);
        } finally {
            Arrays.fill(keyPem, (byte) 0);
        }
    }

    private void checkQuietly() {
        // An exception escaping a periodic task would end it, and with it every later rotation.
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("tls reload check failed, keeping the served certificate serial={} reason={}",
                    serial(certificate()), e.toString());
        }
    }

    private void reject(String state, TlsException error) {
        if (state.equals(seen)) {
            return;
        }
        seen = state;
        LOG.warn("tls reload failed, keeping the served certificate file={} serial={} reason={}",
                error.file(), serial(certificate()), error.getMessage());
    }

    private static Served serve(TlsSettings settings, byte[] chainPem, byte[] keyPem,
            String state) {
        Path chainFile = settings.certificateChain();
        CertifiedKey pair = CertifiedKey.parse(chainFile, chainPem, settings.privateKey(), keyPem);
        SslProvider provider = sslProvider(chainFile, pair);

        X509Certificate leaf = pair.leaf();
        LOG.info("tls certificate loaded subject={} serial={} notAfter={} chain={} file={}",
                leaf.getSubjectX500Principal().getName(), serial(leaf),
                leaf.getNotAfter().toInstant(), pair.chain().size(), chainFile);
        return new Served(pair, provider, state);
    }

    private static SslProvider sslProvider(Path chainFile, CertifiedKey pair) {
        try {
            // The HTTP/2 spec brings ALPN offering h2 then http/1.1, and the ciphers HTTP/2 allows.
            SslContext context = Http2SslContextSpec.forServer(pair.key(), pair.chainArray())
                    .sslContext();
            return SslProvider.builder().sslContext(context).build();
        } catch (SSLException | RuntimeException e) {
            throw TlsException.unusable(chainFile, e);
        }
    }

    private static String state(byte[] chainPem, byte[] keyPem) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(chainPem.length).flip());
            digest.update(chainPem);
            digest.update(keyPem);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    /** What new handshakes get, and the file state it was loaded from. */
    private record Served(CertifiedKey pair, SslProvider provider, String state) {
    }
}
