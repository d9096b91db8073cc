package dev.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.berth.bench.Target.Kind;

/**
 * One run of every workload: starts the servers on loopback, seeds them, then in each repeat
 * runs every workload against Berth and Distribution one after the other (Berth first in even
 * repeats, Distribution first in odd ones) and against nginx where a workload has a ceiling,
 * sampling each registry's CPU time and peak memory around each workload. Each repeat ends with
 * a start-up measurement of fresh servers. Everything started is stopped, and the data deleted,
 * at the end.
 */
final class BenchRun {
    static final String STARTUP_TITLE = "0. start-up";

    private static final double MIB = 1 << 20;
    private static final Duration SYNC_LIMIT = Duration.ofMinutes(5);

    private final BenchSettings settings;
    private final Tools tools;
    private final Results results = new Results();
    private final List<Target> targets = new ArrayList<>();
    private Path work;

    BenchRun(BenchSettings settings, Tools tools) {
        this.settings = settings;
        this.tools = tools;
    }

    /** Runs everything and returns every sample. */
    Results run() {
        work = createWork();
        // Ctrl-C on a long run must not leave the servers running.
        Thread stopOnExit = new Thread(this::stopServers, "bench-stop-servers");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            Blob pullBlob = Blob.random(settings.blobSize(), 2);
            Wrk wrk = new Wrk(tools.wrk(), work);
            List<Workload> workloads = List.of(new ManifestLoad(settings, wrk),
                    new BlobPull(settings, wrk, pullBlob), new BlobPush(settings),
                    new SmallImages(settings), new MixedLoad(settings),
                    new Listings(settings, wrk));
            startServers(pullBlob);
            prepare(workloads);
            for (int repeat = 0; repeat < settings.repeats(); repeat++) {
                runRepeat(workloads, repeat);
            }
            return results;
        } finally {
            long start = System.nanoTime();
            stopServers();
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
            delete(work);
            log("stopped the servers and deleted their data in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    private void runRepeat(List<Workload> workloads, int repeat) {
        for (Workload workload : workloads) {
            for (Target target : order(repeat)) {
                if (workload.appliesTo(target)) {
                    log("repeat " + (repeat + 1) + "/" + settings.repeats() + ": "
                            + workload.title() + " on " + target.kind().label());
                    measure(workload, target, repeat);
                }
            }
        }
        measureStartup(repeat);
    }

    /** Seeds and warms up the registries; nginx serves files written before it started. */
    private void prepare(List<Workload> workloads) {
        List<Target> registries = targets.stream().filter(Target::isRegistry).toList();
        for (Target target : registries) {
            for (Workload workload : workloads) {
                long start = System.nanoTime();
                workload.seed(target);
                log("seeded " + workload.title() + " on " + target.kind().label() + " in "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
        }
        flushSeedWrites();
        for (Target target : registries) {
            workloads.forEach(workload -> workload.warmUp(target));
        }
    }

    /**
     * Writes out to disk what seeding left in the page cache, before anything is measured.
     * Seeding stores 100,000 manifests in each registry (Distribution writes several files for
     * each), and the kernel writes dirty pages back some 30 s after they were made, on the
     * machine's CPUs, which could fall into the first repeat and slow whichever server it met.
     * A precaution: in the run that added it, the kernel had written nearly everything back
     * already and {@code sync} took 117 ms.
     */
    private static void flushSeedWrites() {
        long start = System.nanoTime();
        try {
            Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
            if (!sync.waitFor(SYNC_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                sync.destroyForcibly();
                throw new IllegalStateException("sync did not finish within " + SYNC_LIMIT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run sync", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for sync", e);
        }
        log("wrote the seeded data out to disk in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private void measure(Workload workload, Target target, int repeat) {
        Recorder recorder = new Recorder(results, target.kind());
        if (!target.isRegistry()) {
            workload.run(target, repeat, recorder);
            return;
        }
        long pid = target.process().pid();
        ProcStats.resetPeak(pid);
        ProcStats.Sample before = ProcStats.sample(pid);

        workload.run(target, repeat, recorder);

        if (!target.process().isAlive()) {
            throw new IllegalStateException(target.kind().label() + " died during "
                    + workload.title() + "; its output:\n" + target.process().logTail());
        }
        ProcStats.Sample after = ProcStats.sample(pid);
        recorder.add(Metric.lower(workload.title(), "server peak RSS", "MiB"),
                after.peakRssBytes() / MIB);
        recorder.add(Metric.lower(workload.title(), "server CPU time", "s"),
                after.cpuSeconds() - before.cpuSeconds());
    }

    private void measureStartup(int repeat) {
        Metric metric = Metric.lower(STARTUP_TITLE, "empty data directory: time to first "
                + "served request", "ms");
        for (Target target : order(repeat)) {
            if (!target.isRegistry()) {
                continue;
            }
            Path dir = directory("startup-" + repeat + "-"
                    + target.kind().name().toLowerCase(Locale.ROOT));
            try (ServerProcess fresh = start(target.kind(), dir)) {
                results.add(metric, target.kind(), fresh.startup().toNanos() / 1e6);
                log("fresh " + target.kind().label() + " served its first request in "
                        + fresh.startup().toMillis() + " ms");
            }
            delete(dir);
        }
    }

    /** The registries, alternating which goes first, then nginx. */
    private List<Target> order(int repeat) {
        List<Target> ordered = new ArrayList<>(targets);
        ordered.sort(Comparator.comparing(Target::kind));
        if (repeat % 2 == 1 && ordered.size() > 1 && ordered.get(1).isRegistry()) {
            ordered.add(0, ordered.remove(1));
        }
        return ordered;
    }

    private synchronized void startServers(Blob pullBlob) {
        targets.add(registry(Kind.BERTH, start(Kind.BERTH, directory("berth"))));
        if (tools.distribution().isPresent()) {
            targets.add(registry(Kind.DISTRIBUTION, start(Kind.DISTRIBUTION,
                    directory("distribution"))));
        }
        if (tools.nginx().isPresent()) {
            Path root = directory("nginx-root");
            write(root.resolve(ManifestLoad.SMALL_FILE.substring(1)), Blob.randomBytes(1024, 4));
            write(root.resolve(BlobPull.BLOB_FILE.substring(1)), pullBlob.bytes());
            ServerProcess nginx = Servers.nginx(tools.nginx().get(), directory("nginx"), root,
                    ManifestLoad.SMALL_FILE);
            targets.add(new Target(Kind.NGINX, nginx, null));
        }
        for (Target target : targets) {
            log("started " + target.kind().label() + " pid=" + target.process().pid() + " port="
                    + target.port() + " in " + target.process().startup().toMillis() + " ms");
        }
    }

    private ServerProcess start(Kind kind, Path dir) {
        return switch (kind) {
            case BERTH -> Servers.berth(settings.berthJar(), dir);
            case DISTRIBUTION -> Servers.distribution(tools.distribution().orElseThrow(), dir);
            case NGINX -> throw new IllegalArgumentException("kind: nginx (expected: a registry)");
        };
    }

    private static Target registry(Kind kind, ServerProcess process) {
        return new Target(kind, process, new RegistryHttp(process.baseUri()));
    }

    private synchronized void stopServers() {
        Path logs = settings.output().resolve("logs");
        for (Target target : targets) {
            if (target.http() != null) {
                target.http().close();
            }
            long start = System.nanoTime();
            target.process().close();
            target.process().keepLog(logs);
            log("stopped " + target.kind().label() + " in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        targets.clear();
    }

    private static Path createWork() {
        try {
            // Readable by all: nginx workers may run as another user than the harness.
            return Files.createTempDirectory("berth-bench-", PosixFilePermissions
                    .asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory", e);
        }
    }

    private Path directory(String name) {
        try {
            return Files.createDirectories(work.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + name + " in " + work, e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    static void log(String message) {
        System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), message);
    }
}
