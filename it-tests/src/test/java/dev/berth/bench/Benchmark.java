package dev.berth.bench;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Runs the benchmark: Berth against CNCF Distribution, with nginx as the ceiling, every figure
 * a median over repeats, written to {@code results.json} and {@code results.md}.
 *
 * <p>System properties: {@code berth.jar} (the packaged server, required),
 * {@code bench.mode} ({@code full}, the default, or {@code smoke}), {@code bench.repeats}
 * (default 3 in full mode, 1 in smoke mode) and {@code bench.output} (default
 * {@code target/bench}; smoke mode writes next to it, into {@code target/bench-smoke}). Needs
 * {@code wrk}, {@code docker-registry} and {@code nginx}; Linux only, as it reads
 * {@code /proc}.
 */
public final class Benchmark {
    private Benchmark() {
    }

    /** Runs the benchmark the system properties describe; exits non-zero when it fails. */
    public static void main(String[] args) {
        Path output = Paths.get(System.getProperty("bench.output", "target/bench"));
        Path jar = Paths.get(requiredProperty("berth.jar")).toAbsolutePath().normalize();
        String mode = System.getProperty("bench.mode", "full");
        BenchSettings settings = switch (mode) {
            case "full" -> BenchSettings.full(output, jar);
            // Next to the full results, never over them.
            case "smoke" -> BenchSettings.smoke(output.resolveSibling(output.getFileName()
                    + "-smoke"), jar);
            default -> throw new IllegalArgumentException("bench.mode: " + mode
                    + " (expected: full or smoke)");
        };
        String repeats = System.getProperty("bench.repeats");
        if (repeats != null && !repeats.isBlank()) {
            settings = settings.withRepeats(Integer.parseInt(repeats.trim()));
        }

        Path json = run(settings, Tools.requireAll());

        BenchRun.log("results: " + json.toAbsolutePath() + " and "
                + json.resolveSibling(Report.MARKDOWN_FILE).toAbsolutePath());
    }

    /** Runs every workload with {@code settings} and {@code tools}; returns the JSON file. */
    static Path run(BenchSettings settings, Tools tools) {
        double loadBefore = Machine.loadAverage();
        long start = System.nanoTime();

        Results results = new BenchRun(settings, tools).run();

        Path json = Report.write(results, Machine.describe(tools, loadBefore), settings);
        BenchRun.log(settings.mode() + " run took " + (System.nanoTime() - start) / 1_000_000_000
                + " s");
        return json;
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (expected: "
                    + "the path of server/target/berth.jar)");
        }
        return value;
    }
}
