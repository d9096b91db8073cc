package dev.berth.server;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.logging.AccessLog;
import reactor.netty.http.server.logging.AccessLogArgProvider;
import reactor.netty.http.server.logging.AccessLogFactory;
import reactor.netty.resources.LoopResources;

import dev.berth.server.auth.Authenticator;
import dev.berth.server.tls.Tls;
import dev.berth.server.tls.TlsSettings;
import dev.berth.storage.Storage;

/** A running registry: its storage, the HTTP server in front of it, and their helpers. */
public final class RegistryServer {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    /**
     * Reactor Netty's access-log logger. When it is off ({@code BERTH_ACCESS_LOG=OFF}) the access
     * log is not installed at all: even with nothing written, it formats a date per request.
     */
    private static final Logger ACCESS_LOG = LoggerFactory.getLogger("reactor.netty.http.server.AccessLog");
    /**
     * One event loop per CPU (beside one thread that only accepts connections). Reactor Netty's
     * default is at least four, which on a two-CPU machine made the loops take turns on the CPUs:
     * the benchmark's manifest GET rate nearly doubled with two loops instead of four.
     */
    private static final int EVENT_LOOPS = Runtime.getRuntime().availableProcessors();
    private static final Duration LOOPS_STOP_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Threads that read blob files for downloads. A read from the page cache takes well under a
     * millisecond, so a few threads keep many downloads fed; more only help when reads wait on a
     * slow disk.
     */
    private static final int READ_THREADS = 4;
    /**
     * The most bytes one read from a connection takes, and the largest piece a request body is
     * handed on in. Netty reads at most 64 KiB at a time and Reactor Netty cuts bodies into
     * pieces of 8 KiB, so a large push cost a system call per 64 KiB and a trip through the
     * body's operators per 8 KiB. With 512 KiB, about one batch of the blob store, the network
     * thread spent 0.52 to 0.63 s of CPU per GB pushed instead of 0.73 to 1.05 s, measured per
     * thread on a two-CPU machine. Reads grow only while they fill their buffer, so small
     * requests keep small buffers.
     */
    private static final int MAX_READ_BYTES = 512 * 1024;

    private final Storage storage;
    private final DisposableServer server;
    private final LoopResources loops;
    private final Disposable.Composite resources;
    private final AtomicBoolean ready;
    private final BlobHandler blobs;

    private RegistryServer(Storage storage, DisposableServer server, LoopResources loops,
            Disposable.Composite resources, AtomicBoolean ready, BlobHandler blobs) {
        this.storage = storage;
        this.server = server;
        this.loops = loops;
        this.resources = resources;
        this.ready = ready;
        this.blobs = blobs;
    }

    /** Opens storage, binds the port and logs the address once requests can be served. */
    public static Mono<RegistryServer> start(ServerConfig config, Clock clock) {
        return Storage.open(config.data(), Storage.Settings.defaults(), clock)
                .flatMap(storage -> bind(config, clock, storage)
                        .onErrorResume(error -> storage.close().then(Mono.error(error))));
    }

    private static Mono<RegistryServer> bind(ServerConfig config, Clock clock, Storage storage) {
        Disposable.Composite resources = Disposables.composite();
        LoopResources loops = LoopResources.create("berth-http", 1, EVENT_LOOPS, true);
        return Mono.defer(() -> {
            Scheduler background = AuthSetup.backgroundScheduler();
            resources.add(background);
            Scheduler reads = Schedulers.newBoundedElastic(READ_THREADS, 100_000, "berth-reads");
            resources.add(reads);
            BlobHandler blobs = new BlobHandler(storage.metadata(), storage.blobs(), reads,
                    BlobHandler.READ_AHEAD_RESPONSES);
            Observability observability = new Observability();
            resources.add(observability::close);
            AtomicBoolean ready = new AtomicBoolean();
            if (!storage.ownsDataDirectory()) {
                throw new IllegalStateException("another Berth server is using " + config.data()
                        + " (its lock file berth.lock is held)");
            }
            Authenticator authenticator = AuthSetup.create(config, storage, background, clock);
            Maintenance maintenance = new Maintenance(storage.garbageCollector(), config, observability);
            resources.add(maintenance.schedule(background));
            HttpServer http = http(config, router(storage, blobs, clock, authenticator, observability, maintenance,
                    ready,
                    UploadHandler.touchInterval(GcSetup.uploadIdle(config.uploads()))))
                    .runOn(loops);
            return secure(config, http, background, resources)
                    .flatMap(HttpServer::bind)
                    .map(server -> {
                        ready.set(true);
                        LOG.info("registry ready address={}:{} port={} tls={} data={}", config.host(), server.port(),
                                server.port(), config.tls(), config.data());
                        return new RegistryServer(storage, server, loops, resources, ready, blobs);
                    });
        }).doOnError(error -> {
            resources.dispose();
            loops.dispose();
        });
    }

    private static Router router(Storage storage, BlobHandler blobs, Clock clock, Authenticator authenticator,
            Observability observability, Maintenance maintenance, AtomicBoolean ready, Duration touchInterval) {
        return new Router(
                new ManifestHandler(storage.metadata()),
                blobs,
                new UploadHandler(storage.metadata(), storage.blobs(), clock, touchInterval),
                new TagHandler(storage.metadata()),
                new CatalogHandler(storage.metadata()),
                new ReferrerHandler(storage.metadata()),
                authenticator, observability, maintenance, ready::get);
    }

    private static HttpServer http(ServerConfig config, Router router) {
        HttpServer server = HttpServer.create()
                .host(config.host())
                .port(config.port())
                .childOption(ChannelOption.RCVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES))
                .httpRequestDecoder(decoder -> decoder.maxChunkSize(MAX_READ_BYTES));
        if (config.tls()) {
            server = server.idleTimeout(config.idleTimeout()).readTimeout(config.idleTimeout());
        } else {
            Logger accessLog = ACCESS_LOG.isInfoEnabled() ? ACCESS_LOG : null;
            Duration idleTimeout = config.idleTimeout();
            server = server.doOnChannelInit((observer, channel, remote) -> channel.pipeline()
                    .addAfter(NettyPipeline.HttpCodec, IdleGuard.NAME, new IdleGuard(idleTimeout))
                    .addAfter(IdleGuard.NAME, ManifestFastPath.NAME,
                            new ManifestFastPath(router::answerNow, router::answeredNow, accessLog)));
        }
        return server
                .accessLog(ACCESS_LOG.isInfoEnabled(), AccessLogFactory.createFilter(RegistryServer::isRealRequest,
                        RegistryServer::accessLine))
                .handle(router::handle);
    }

    /** The server with TLS when configured; the certificate watcher joins {@code resources}. */
    private static Mono<HttpServer> secure(ServerConfig config, HttpServer http, Scheduler scheduler,
            Disposable.Composite resources) {
        if (!config.tls()) {
            return Mono.just(http);
        }
        return Tls.start(TlsSettings.of(config.tlsCertificate(), config.tlsKey()), scheduler)
                .doOnNext(resources::add)
                .map(tls -> tls.apply(http));
    }

    /**
     * Leaves out probes and scrapes, which would drown the requests that matter, and Netty's
     * placeholder for bytes that were not HTTP at all: clients such as skopeo first try TLS on a
     * plain-HTTP port, and that handshake is not a request anyone sent.
     */
    private static boolean isRealRequest(AccessLogArgProvider args) {
        String uri = String.valueOf(args.uri());
        return !"/bad-request".equals(uri) && !Observability.isProbe(uri);
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

    /** Blob downloads being read ahead by file threads right now (see {@link BlobHandler}). */
    int downloadsReadAhead() {
        return blobs.readAheadInUse();
    }

    /** Blob downloads read ahead by file threads since the server started. */
    long downloadsReadAheadSoFar() {
        return blobs.readAheadStarted();
    }

    /** Completes when the server has stopped. */
    public Mono<Void> onDispose() {
        return server.onDispose();
    }

    /**
     * Stops accepting requests, waits for those in flight and for the event loops to end, then
     * closes storage.
     */
    public Mono<Void> stop() {
        return Mono.fromRunnable(() -> {
            ready.set(false);
            server.disposeNow(Duration.ofSeconds(20));
        }).then(loops.disposeLater(Duration.ZERO, LOOPS_STOP_TIMEOUT))
                .then(Mono.fromRunnable(resources::dispose))
                .then(storage.close());
    }
}
