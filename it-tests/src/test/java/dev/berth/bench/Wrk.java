package dev.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk --latency} for a GET load and reads its report: completed requests, bytes
 * read, the run's length, the 50th and 99th latency percentiles, socket errors and non-2xx/3xx
 * answers.
 *
 * <p>Limitation: wrk 4.1 waits forever for the body of a {@code HEAD} response that carries
 * {@code Content-Length}, so HEAD loads go through {@link HeadLoad} instead.
 */
final class Wrk {
    private static final int MAX_THREADS = 2;
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Pattern TOTALS = Pattern.compile(
            "(\\d+) requests in ([\\d.]+)(us|ms|s|m|h), ([\\d.]+)(B|KB|MB|GB|TB) read");
    private static final Pattern PERCENTILE = Pattern.compile(
            "^\\s+(50|99)%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$", Pattern.MULTILINE);
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern BAD_STATUS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private final Path binary;
    private final Path workDir;

    Wrk(Path binary, Path workDir) {
        this.binary = binary;
        this.workDir = workDir;
    }

    /**
     * GETs {@code url} over {@code connections} keep-alive connections for {@code duration},
     * with {@code headers} on every request; a request pending for longer than {@code timeout}
     * counts as an error. Both durations are rounded to whole seconds, at least one.
     */
    LoadResult get(URI url, int connections, Duration duration, Duration timeout,
            Map<String, String> headers) {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "-t", Integer.toString(Math.min(MAX_THREADS, connections)),
                "-c", Integer.toString(connections),
                "-d", seconds(duration) + "s",
                "--timeout", seconds(timeout) + "s",
                "--latency"));
        headers.forEach((name, value) -> command.addAll(List.of("-H", name + ": " + value)));
        command.add(url.toString());
        String output = run(command, duration.plus(timeout).plus(GRACE));
        return parse(output);
    }

    /** Reads wrk's report. */
    static LoadResult parse(String output) {
        Matcher totals = TOTALS.matcher(output);
        if (!totals.find()) {
            throw new IllegalStateException("no totals in wrk output:\n" + output);
        }
        long requests = Long.parseLong(totals.group(1));
        double seconds = toMillis(totals.group(2), totals.group(3)) / 1000;
        long bytes = Math.round(Double.parseDouble(totals.group(4)) * binaryUnit(totals.group(5)));

        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double millis = toMillis(percentile.group(2), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = millis;
            } else {
                p99 = millis;
            }
        }

        long errors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        Matcher status = BAD_STATUS.matcher(output);
        if (status.find()) {
            errors += Long.parseLong(status.group(1));
        }
        return new LoadResult(requests, errors, bytes, seconds, p50, p99);
    }

    private String run(List<String> command, Duration limit) {
        try {
            Path out = Files.createTempFile(workDir, "wrk-", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(GRACE.toSeconds(), TimeUnit.SECONDS);
                throw new IllegalStateException("wrk did not finish within " + limit.toSeconds()
                        + " s and was killed: " + String.join(" ", command));
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("wrk exited with code " + process.exitValue()
                        + ": " + String.join(" ", command) + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running wrk", e);
        }
    }

    /** wrk reads whole seconds only. */
    private static long seconds(Duration duration) {
        return Math.max(1, Math.round(duration.toMillis() / 1000.0));
    }

    private static double toMillis(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> number / 1000;
            case "ms" -> number;
            case "s" -> number * 1000;
            case "m" -> number * 60_000;
            case "h" -> number * 3_600_000;
            default -> throw new IllegalArgumentException("unit: " + unit + " (expected: us to h)");
        };
    }

    private static double binaryUnit(String unit) {
        return switch (unit) {
            case "B" -> 1;
            case "KB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            case "TB" -> 1L << 40;
            default -> throw new IllegalArgumentException("unit: " + unit + " (expected: B to TB)");
        };
    }
}
