package dev.berth.server.tls;

import java.security.cert.X509Certificate;
import java.util.Objects;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.SslProvider;

/**
 * TLS served by the registry process itself: a PEM certificate chain and key, HTTP/2 and
 * HTTP/1.1 negotiated through ALPN, and the pair re-read when its files change.
 *
 * <p>Use: {@code Tls.start(settings, ioScheduler)} reads and checks both files, then
 * {@link #apply} secures an {@link HttpServer}; {@link #dispose} stops the file checks once the
 * server has stopped. Without a {@code Tls} the server speaks plain HTTP, the default for local
 * use.
 *
 * <p>Every handshake asks for the pair loaded last, whether or not the client sent a server name
 * (clients connecting to an IP address send none). A rotated pair therefore reaches the next new
 * connection, while connections already open keep the session they negotiated.
 *
 * <p>Limitation: a rotation reaches new connections up to one reload interval after the files
 * change, and a connection opened before it keeps the session, and so the certificate, it
 * negotiated for as long as the client keeps it open, which for HTTP/2 clients can be hours.
 * Limitation: one certificate is served whatever server name a client asks for, client
 * certificates are not requested, and an encrypted private key is refused rather than decrypted.
 */
public final class Tls implements Disposable {
    private final CertificateReloader reloader;
    /** A composite so that {@link #isDisposed} holds whatever the scheduler's task reports. */
    private final Disposable.Composite watcher;
    private final SslProvider sslProvider;

    private Tls(CertificateReloader reloader, Disposable watcher) {
        this.reloader = reloader;
        this.watcher = Disposables.composite(watcher);
        // The SNI mapping is Reactor Netty's per-handshake hook; its default context is never used.
        this.sslProvider = SslProvider.builder()
                .sslContext(reloader.sslProvider().getSslContext())
                .setSniAsyncMappings(this::select)
                .build();
    }

    /**
     * Reads and checks the certificate chain and private key, then checks them again every
     * {@link TlsSettings#reloadInterval()}. Files are read on {@code scheduler}.
     *
     * @param scheduler a scheduler for blocking file reads that supports periodic tasks, such as
     *         the server's I/O scheduler
     * @return the loaded TLS, or a {@link TlsException} naming the file that is missing,
     *         unreadable, malformed, encrypted or not matching its counterpart
     */
    public static Mono<Tls> start(TlsSettings settings, Scheduler scheduler) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(scheduler, "scheduler");
        return Mono.fromCallable(() -> CertificateReloader.load(settings))
                .subscribeOn(scheduler)
                .map(reloader -> new Tls(reloader, reloader.watch(scheduler)));
    }

    /**
     * Returns {@code server} secured with the current pair and speaking HTTP/2 and HTTP/1.1,
     * chosen through ALPN (a client offering neither gets HTTP/1.1). This replaces any protocols
     * configured on {@code server} before.
     */
    public HttpServer apply(HttpServer server) {
        return server.secure(sslProvider)
                .protocol(HttpProtocol.H2, HttpProtocol.HTTP11);
    }

    /** Stops checking the files; the pair loaded last stays in use for new handshakes. */
    @Override
    public void dispose() {
        watcher.dispose();
    }

    @Override
    public boolean isDisposed() {
        return watcher.isDisposed();
    }

    /** Checks the files now rather than at the next interval. */
    void checkNow() {
        reloader.check();
    }

    /** The server certificate new handshakes present. */
    X509Certificate certificate() {
        return reloader.certificate();
    }

    // Runs on the event loop for each handshake, with the SNI host name or null when none was sent.
    private Future<SslProvider> select(String hostName, Promise<SslProvider> promise) {
        return promise.setSuccess(reloader.sslProvider());
    }
}
