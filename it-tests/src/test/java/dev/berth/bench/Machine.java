package dev.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine and software a run measured: date, CPU, memory, kernel, Java and the versions of
 * the other programs, and the load average before and after, which shows whether other work
 * shared the machine.
 */
record Machine(String date, String cpuModel, int cores, double memoryGib, String kernel,
        String java, String distribution, String nginx, String wrk, double loadBefore,
        double loadAfter) {

    private static final long VERSION_TIMEOUT_SECONDS = 10;

    /** The machine now; {@code loadBefore} is the load average taken when the run started. */
    static Machine describe(Tools tools, double loadBefore) {
        return new Machine(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), readCpuModel(),
                Runtime.getRuntime().availableProcessors(), readMemoryGib(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                version(tools.distribution(), "--version"), version(tools.nginx(), "-v"),
                version(Optional.of(tools.wrk()), "-v"), loadBefore, loadAverage());
    }

    /** The one-minute load average. */
    static double loadAverage() {
        String loadavg = read(Paths.get("/proc/loadavg"));
        return loadavg.isEmpty() ? Double.NaN : Double.parseDouble(loadavg.split(" ")[0]);
    }

    private static String readCpuModel() {
        for (String line : read(Paths.get("/proc/cpuinfo")).split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static double readMemoryGib() {
        for (String line : read(Paths.get("/proc/meminfo")).split("\n")) {
            if (line.startsWith("MemTotal:")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return kib / (1024.0 * 1024);
            }
        }
        return Double.NaN;
    }

    /** The first line the program prints when asked its version. */
    private static String version(Optional<Path> binary, String flag) {
        if (binary.isEmpty()) {
            return "not installed";
        }
        List<String> command = new ArrayList<>(List.of(binary.get().toString(), flag));
        try {
            Path out = Files.createTempFile("bench-version-", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return output.lines().findFirst().orElse("").trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
