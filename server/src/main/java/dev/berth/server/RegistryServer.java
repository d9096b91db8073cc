package dev.berth.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.logging.AccessLog;
import reactor.netty.http.server.logging.AccessLogArgProvider;
import reactor.netty.http.server.logging.AccessLogFactory;

import dev.berth.server.auth.Authenticator;
import dev.berth.server.tls.Tls;
import dev.berth.server.tls.TlsSettings;
import dev.berth.storage.Storage;

/** A running registry: its storage and the HTTP server in front of it. */
public final class RegistryServer {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    /** A client that sends nothing for this long is cut off; large pushes keep sending. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private final Storage storage;
    private final DisposableServer server;
    private final Disposable resources;

    private RegistryServer(Storage storage, DisposableServer server, Disposable resources) {
        this.storage = storage;
        this.server = server;
        this.resources = resources;
    }

    /** Opens storage, binds the port and logs the address once requests can be served. */
    public static Mono<RegistryServer> start(ServerConfig config, Clock clock) {
        return Storage.open(config.data(), Storage.Settings.defaults(), clock)
                .flatMap(storage -> bind(config, clock, storage)
                        .onErrorResume(error -> storage.close().then(Mono.error(error))));
    }

    private static Mono<RegistryServer> bind(ServerConfig config, Clock clock, Storage storage) {
        Scheduler passwords = AuthSetup.passwordScheduler();
        Authenticator authenticator;
        try {
            authenticator = AuthSetup.create(config, storage, passwords, clock);
        } catch (RuntimeException e) {
            passwords.dispose();
            return Mono.error(e);
        }
        Router router = new Router(
                new ManifestHandler(storage.metadata()),
                new BlobHandler(storage.metadata(), storage.blobs()),
                new UploadHandler(storage.metadata(), storage.blobs(), clock),
                new TagHandler(storage.metadata()),
                new CatalogHandler(storage.metadata()),
                new ReferrerHandler(storage.metadata()),
                authenticator);
        HttpServer http = HttpServer.create()
                .host(config.host())
                .port(config.port())
                .idleTimeout(IDLE_TIMEOUT)
                .readTimeout(IDLE_TIMEOUT)
                .accessLog(true, AccessLogFactory.createFilter(RegistryServer::isRealRequest,
                        RegistryServer::accessLine))
                .handle(router::handle);
        Mono<Optional<Tls>> tls = config.tls()
                ? Tls.start(TlsSettings.of(config.tlsCertificate(), config.tlsKey()), passwords).map(Optional::of)
                : Mono.just(Optional.empty());
        return tls.flatMap(started -> listen(config, storage, http, started, passwords))
                .doOnError(error -> passwords.dispose());
    }

    private static Mono<RegistryServer> listen(ServerConfig config, Storage storage, HttpServer http,
            Optional<Tls> tls, Scheduler passwords) {
        Disposable resources = Disposables.composite(passwords, tls.isPresent() ? tls.get() : Disposables.disposed());
        return tls.map(started -> started.apply(http)).orElse(http)
                .bind()
                .map(server -> ready(config, storage, server, resources))
                .doOnError(error -> tls.ifPresent(Tls::dispose));
    }

    private static RegistryServer ready(ServerConfig config, Storage storage, DisposableServer server,
            Disposable resources) {
        LOG.info("registry ready address={}:{} port={} tls={} data={}", config.host(), server.port(), server.port(),
                config.tls(), config.data());
        return new RegistryServer(storage, server, resources);
    }

    /**
     * Leaves out Netty's placeholder for bytes that were not HTTP at all: clients such as skopeo
     * first try TLS on a plain-HTTP port, and that handshake is not a request anyone sent.
     */
    private static boolean isRealRequest(AccessLogArgProvider args) {
        return !"/bad-request".equals(String.valueOf(args.uri()));
    }

    private static AccessLog accessLine(AccessLogArgProvider args) {
        return AccessLog.create("method={} uri={} status={} bytes={} ms={} remote={}", args.method(), args.uri(),
                args.status(), args.contentLength(), args.duration(), args.connectionInformation() == null
                        ? null : args.connectionInformation().remoteAddress());
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** Completes when the server has stopped. */
    public Mono<Void> onDispose() {
        return server.onDispose();
    }

    /** Stops accepting requests, waits for those in flight, then closes storage. */
    public Mono<Void> stop() {
        return Mono.fromRunnable(() -> server.disposeNow(Duration.ofSeconds(20)))
                .then(Mono.fromRunnable(resources::dispose))
                .then(storage.close());
    }
}
