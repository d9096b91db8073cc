package dev.berth.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Workload 1: manifest GET by tag (wrk) and HEAD by digest ({@link HeadLoad}) at each
 * connection count; nginx serves a 1 KiB file to the same loads as the ceiling for small
 * answers. Also reports the registry's CPU microseconds per manifest request.
 */
final class ManifestLoad implements Workload {
    static final String TITLE = "1. manifests";
    static final String REPOSITORY = "bench/manifest";
    static final String SMALL_FILE = "/small.bin";

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long MAX_REQUESTS = 5_000_000;
    private static final Map<String, String> ACCEPT = Map.of("Accept", Image.MANIFEST_TYPE);

    private final BenchSettings settings;
    private final Wrk wrk;
    private final Image image = Image.small(1, 2, 1024);

    ManifestLoad(BenchSettings settings, Wrk wrk) {
        this.settings = settings;
        this.wrk = wrk;
    }

    @Override
    public String title() {
        return TITLE;
    }

    @Override
    public boolean appliesTo(Target target) {
        return true;
    }

    @Override
    public void seed(Target target) {
        target.http().pushImage(REPOSITORY, "v1", image);
    }

    /**
     * GETs, then HEADs, at 64 connections, each for the warm-up length. Berth's manifest path
     * keeps getting faster for some 20 s of such load while the JIT compiles it: run alone, a
     * fresh Berth's GET p99 was 19 ms in the first 2 s, 6.5 to 9 ms up to 10 s, and 2 to 7 ms
     * (mostly under 5) after 20 s, its rate rising from 15,000 to 80,000 requests/s. A short
     * warm-up would time that compilation in the first repeats.
     */
    @Override
    public void warmUp(Target target) {
        if (!settings.warmUp().isZero()) {
            get(target, 64, settings.warmUp());
            head(target, 64, settings.warmUp());
        }
    }

    @Override
    public void run(Target target, int repeat, Recorder recorder) {
        double cpuBefore = target.cpuSeconds();
        long requests = 0;

        for (int connections : settings.connections()) {
            LoadResult get = get(target, connections, settings.manifestLoad());
            recorder.addLoad(TITLE, label("GET by tag", connections), get);
            LoadResult head = head(target, connections, settings.manifestLoad());
            recorder.addLoad(TITLE, label("HEAD by digest", connections), head);
            requests += get.requests() + head.requests();
        }

        if (target.isRegistry()) {
            double cpu = target.cpuSeconds() - cpuBefore;
            recorder.add(Metric.lower(TITLE, "server CPU per manifest request", "µs"),
                    cpu / requests * 1e6);
        }
    }

    private static String label(String load, int connections) {
        return String.format(Locale.ROOT, "%s, %,d conns", load, connections);
    }

    private LoadResult get(Target target, int connections, Duration duration) {
        String path = target.isRegistry() ? "v2/" + REPOSITORY + "/manifests/v1" : "small.bin";
        return wrk.get(target.process().baseUri().resolve(path), connections, duration, TIMEOUT,
                ACCEPT);
    }

    private LoadResult head(Target target, int connections, Duration duration) {
        String path = target.isRegistry()
                ? "/v2/" + REPOSITORY + "/manifests/" + image.manifest().digest() : SMALL_FILE;
        return HeadLoad.run(target.port(), path, ACCEPT, connections, duration, MAX_REQUESTS,
                TIMEOUT);
    }
}
