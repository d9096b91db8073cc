package dev.berth.server;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.storage.GarbageCollector;
import dev.berth.storage.GcReport;
import dev.berth.storage.GcSettings;

/**
 * The registry's housekeeping while it serves: garbage collection on a schedule and on demand
 * ({@code POST /admin/gc[?dryRun=true]}, for administrators), and expiry of idle uploads. Runs
 * never overlap: a run asked for while one is going waits for it.
 */
final class Maintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    /** How often idle uploads are looked for, at most. */
    private static final Duration MAX_EXPIRY_CHECK = Duration.ofMinutes(10);

    private final GarbageCollector collector;
    private final GcSettings settings;
    private final Duration interval;
    private final Duration uploadIdle;
    private final Observability observability;
    private final Object lock = new Object();
    private Sinks.Empty<Void> lastRun = finished();

    Maintenance(GarbageCollector collector, ServerConfig config, Observability observability) {
        this.collector = collector;
        this.settings = GcSetup.settings(config.gc());
        this.interval = GcSetup.interval(config.gc());
        this.uploadIdle = GcSetup.uploadIdle(config.uploads());
        this.observability = observability;
    }

    /** Starts the schedules on {@code scheduler}; dispose the result to stop them. */
    Disposable schedule(Scheduler scheduler) {
        Disposable.Composite schedules = Disposables.composite();
        if (!interval.isZero() && !interval.isNegative()) {
            schedules.add(Flux.interval(interval, scheduler)
                    .concatMap(tick -> collect(false).onErrorResume(this::logFailure))
                    .subscribe());
        }
        Duration check = uploadIdle.dividedBy(4).compareTo(MAX_EXPIRY_CHECK) < 0
                ? uploadIdle.dividedBy(4) : MAX_EXPIRY_CHECK;
        schedules.add(Flux.interval(check.isZero() ? Duration.ofSeconds(1) : check, scheduler)
                .concatMap(tick -> collector.expireUploads(uploadIdle).onErrorResume(this::logExpiryFailure))
                .subscribe());
        LOG.info("maintenance scheduled gcInterval={} uploadIdle={}", interval, uploadIdle);
        return schedules;
    }

    /**
     * One garbage collection run, after any run still going: each run waits for the end of the
     * one asked for before it. Only that one signal is kept, so past runs are not retained.
     */
    Mono<GcReport> collect(boolean dryRun) {
        return Mono.defer(() -> {
            Sinks.Empty<Void> done = Sinks.empty();
            Mono<Void> previous;
            synchronized (lock) {
                previous = lastRun.asMono();
                lastRun = done;
            }
            return previous.then(collector.run(settings, dryRun))
                    .doOnNext(this::record)
                    .doFinally(signal -> done.tryEmitEmpty());
        });
    }

    /** {@code POST /admin/gc}: runs a collection and answers its report. */
    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        boolean dryRun = "true".equalsIgnoreCase(Http.query(request, "dryRun"));
        return collect(dryRun).flatMap(report -> Http.json(request, response, GcSetup.json(report)));
    }

    private static Sinks.Empty<Void> finished() {
        Sinks.Empty<Void> sink = Sinks.empty();
        sink.tryEmitEmpty();
        return sink;
    }

    private void record(GcReport report) {
        if (!report.dryRun()) {
            observability.recordGc(report.bytesFreed(), report.blobsDeleted(), report.manifestsDeleted(),
                    report.tagsDeleted());
        }
    }

    private Mono<GcReport> logFailure(Throwable error) {
        LOG.error("gc failed, will retry at the next interval error={}", error.toString(), error);
        return Mono.empty();
    }

    private Mono<Integer> logExpiryFailure(Throwable error) {
        LOG.error("upload expiry failed, will retry error={}", error.toString(), error);
        return Mono.empty();
    }
}
