package dev.berth.server;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Metrics in the Prometheus text format on {@code /metrics}, and the probes {@code /healthz}
 * (the process answers) and {@code /readyz} (storage is open and the server accepts requests).
 * HTTP metrics come from Reactor Netty, tagged by route rather than by URI, so the number of
 * series stays bounded however many repositories exist.
 */
final class Observability {
    private static final Pattern MANIFEST = Pattern.compile("/v2/.+/manifests/[^/]+");
    private static final Pattern UPLOAD = Pattern.compile("/v2/.+/blobs/uploads/.*");
    private static final Pattern BLOB = Pattern.compile("/v2/.+/blobs/[^/]+");
    private static final Pattern TAGS = Pattern.compile("/v2/.+/tags/list");
    private static final Pattern REFERRERS = Pattern.compile("/v2/.+/referrers/[^/]+");

    private final PrometheusMeterRegistry registry;
    private final Counter gcBytes;
    private final Counter gcBlobs;
    private final Counter gcManifests;
    private final Counter gcTags;

    Observability() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Reactor Netty records into the global registry.
        Metrics.addRegistry(registry);
        this.gcBytes = Counter.builder("berth.gc.reclaimed.bytes").description("bytes freed by garbage collection")
                .register(registry);
        this.gcBlobs = reclaimed("blobs");
        this.gcManifests = reclaimed("manifests");
        this.gcTags = reclaimed("tags");
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

    /** Removes this registry from the global one, for servers started and stopped in one JVM. */
    void close() {
        Metrics.removeRegistry(registry);
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

    /** The route of a path, as the {@code uri} tag of HTTP metrics. */
    static String route(String uri) {
        int query = uri.indexOf('?');
        String path = query >= 0 ? uri.substring(0, query) : uri;
        if (MANIFEST.matcher(path).matches()) {
            return "/v2/{name}/manifests/{reference}";
        }
        if (UPLOAD.matcher(path).matches()) {
            return "/v2/{name}/blobs/uploads/{id}";
        }
        if (BLOB.matcher(path).matches()) {
            return "/v2/{name}/blobs/{digest}";
        }
        if (TAGS.matcher(path).matches()) {
            return "/v2/{name}/tags/list";
        }
        if (REFERRERS.matcher(path).matches()) {
            return "/v2/{name}/referrers/{digest}";
        }
        return switch (path) {
            case "/v2/", "/v2", "/v2/_catalog", "/token", "/metrics", "/healthz", "/readyz" -> path;
            default -> "other";
        };
    }

    /** Whether a path is a probe or a scrape, kept out of the access log. */
    static boolean isProbe(String uri) {
        return uri.startsWith("/healthz") || uri.startsWith("/readyz") || uri.startsWith("/metrics");
    }
}
