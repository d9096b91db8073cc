package dev.berth.server;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Metrics in the Prometheus text format on {@code /metrics}, and the probes {@code /healthz}
 * (the process answers) and {@code /readyz} (storage is open and the server accepts requests).
 * Every request is timed in {@code http_server_requests_seconds}, tagged by route rather than
 * by URI ({@code uri="/v2/{name}/manifests/{reference}"}), method and status, so the number of
 * series stays bounded however many repositories exist.
 *
 * <p>Why not Reactor Netty's own HTTP metrics: they look up several meters per request and time
 * bytes and connections too. Together with its access log (which formats a date per request even
 * when its logger is off) they took about half the CPU of a manifest GET in the benchmark. One
 * timer per route, method and status, found in a map, costs far less.
 */
final class Observability {
    /** The methods tagged by name; requests with any other method are tagged {@code other}. */
    private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.POST,
        HttpMethod.PATCH, HttpMethod.DELETE};

    private final PrometheusMeterRegistry registry;
    private final Counter gcBytes;
    private final Counter gcBlobs;
    private final Counter gcManifests;
    private final Counter gcTags;
    private final Counter manifestsFromMemory;
    private final Map<Integer, Timer> requestTimers = new ConcurrentHashMap<>();

    Observability() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.gcBytes = Counter.builder("berth.gc.reclaimed.bytes").description("bytes freed by garbage collection")
                .register(registry);
        this.gcBlobs = reclaimed("blobs");
        this.gcManifests = reclaimed("manifests");
        this.gcTags = reclaimed("tags");
        this.manifestsFromMemory = Counter.builder("berth.manifests.from.memory")
                .description("manifest GET and HEAD requests answered from memory on the network thread, "
                        + "also counted in http_server_requests_seconds")
                .register(registry);
    }

    private Counter reclaimed(String kind) {
        return Counter.builder("berth.gc.reclaimed.objects")
                .description("objects removed by garbage collection")
                .tag("kind", kind)
                .register(registry);
    }

    /** Adds what one garbage collection run removed. */
    void recordGc(long bytes, long blobs, long manifests, long tags) {
        gcBytes.increment(bytes);
        gcBlobs.increment(blobs);
        gcManifests.increment(manifests);
        gcTags.increment(tags);
    }

    /** Counts a manifest request answered on the network thread (see {@link ManifestFastPath}). */
    void recordManifestFromMemory() {
        manifestsFromMemory.increment();
    }

    /** Counts and times one request; {@code nanos} runs from its arrival to its last byte sent. */
    void recordRequest(Route route, HttpMethod method, int status, long nanos) {
        int methodIndex = methodIndex(method);
        int key = (route.ordinal() * (METHODS.length + 1) + methodIndex) * 1000 + Math.floorMod(status, 1000);
        Timer timer = requestTimers.get(key);
        if (timer == null) {
            timer = requestTimers.computeIfAbsent(key, unused -> Timer.builder("http.server.requests")
                    .description("HTTP requests by route, method and status")
                    .tag("uri", route.tag())
                    .tag("method", methodIndex < METHODS.length ? method.name() : "other")
                    .tag("status", Integer.toString(status))
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The index of {@code method} in {@link #METHODS}, or {@code METHODS.length} for any other. */
    private static int methodIndex(HttpMethod method) {
        for (int i = 0; i < METHODS.length; i++) {
            if (METHODS[i].equals(method)) {
                return i;
            }
        }
        return METHODS.length;
    }

    void close() {
        registry.close();
    }

    Mono<Void> scrape(HttpServerResponse response) {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
        return response.sendByteArray(Mono.just(body)).then();
    }

    static Mono<Void> probe(HttpServerResponse response, BooleanSupplier healthy) {
        boolean ok = healthy.getAsBoolean();
        byte[] body = (ok ? "ok\n" : "not ready\n").getBytes(StandardCharsets.UTF_8);
        response.status(ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
        return response.sendByteArray(Mono.just(body)).then();
    }

    /** Whether a path is a probe or a scrape, kept out of the access log. */
    static boolean isProbe(String uri) {
        return uri.startsWith("/healthz") || uri.startsWith("/readyz") || uri.startsWith("/metrics");
    }
}
