package dev.berth.server;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.logging.AccessLog;
import reactor.netty.http.server.logging.AccessLogArgProvider;
import reactor.netty.http.server.logging.AccessLogFactory;

import dev.berth.storage.Storage;

/** A running registry: its storage and the HTTP server in front of it. */
public final class RegistryServer {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    /** A client that sends nothing for this long is cut off; large pushes keep sending. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private final Storage storage;
    private final DisposableServer server;

    private RegistryServer(Storage storage, DisposableServer server) {
        this.storage = storage;
        this.server = server;
    }

    /** Opens storage, binds the port and logs the address once requests can be served. */
    public static Mono<RegistryServer> start(ServerConfig config, Clock clock) {
        return Storage.open(config.data(), Storage.Settings.defaults(), clock)
                .flatMap(storage -> bind(config, clock, storage)
                        .onErrorResume(error -> storage.close().then(Mono.error(error))));
    }

    private static Mono<RegistryServer> bind(ServerConfig config, Clock clock, Storage storage) {
        Router router = new Router(
                new ManifestHandler(storage.metadata()),
                new BlobHandler(storage.metadata(), storage.blobs()),
                new UploadHandler(storage.metadata(), storage.blobs(), clock),
                new TagHandler(storage.metadata()),
                new CatalogHandler(storage.metadata()),
                new ReferrerHandler(storage.metadata()));
        return HttpServer.create()
                .host(config.host())
                .port(config.port())
                .idleTimeout(IDLE_TIMEOUT)
                .readTimeout(IDLE_TIMEOUT)
                .accessLog(true, AccessLogFactory.createFilter(args -> true, RegistryServer::accessLine))
                .handle(router::handle)
                .bind()
                .map(server -> {
                    LOG.info("registry ready address={}:{} port={} data={}", config.host(), server.port(),
                            server.port(), config.data());
                    return new RegistryServer(storage, server);
                });
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
                .then(storage.close());
    }
}
