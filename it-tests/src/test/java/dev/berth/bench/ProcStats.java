package dev.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * CPU time and resident memory of a process, read from {@code /proc}: {@code utime + stime} of
 * {@code /proc/<pid>/stat}, {@code VmRSS} and {@code VmHWM} of {@code /proc/<pid>/status}.
 *
 * <p>Limitation: CPU time has the resolution of the kernel's clock tick (10 ms on Debian), so
 * a workload that keeps a server busy for less than that reads as zero.
 */
final class ProcStats {
    /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux port we run on. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final int UTIME_AFTER_STATE = 11;
    private static final int STIME_AFTER_STATE = 12;

    private ProcStats() {
    }

    /** CPU seconds and memory of one process at one moment. */
    record Sample(double cpuSeconds, long rssBytes, long peakRssBytes) {
    }

    /** What the process has used so far. */
    static Sample sample(long pid) {
        String stat = read(Paths.get("/proc", Long.toString(pid), "stat"));
        // The command name in parentheses may hold spaces; the fields after it do not.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(fields[UTIME_AFTER_STATE])
                + Long.parseLong(fields[STIME_AFTER_STATE]);
        String status = read(Paths.get("/proc", Long.toString(pid), "status"));
        return new Sample(ticks / TICKS_PER_SECOND, kibibytes(status, "VmRSS:") * 1024,
                kibibytes(status, "VmHWM:") * 1024);
    }

    /**
     * Resets the peak resident size to the current one (writes {@code 5} to
     * {@code /proc/<pid>/clear_refs}), so the next {@link #sample} reports the peak since now.
     *
     * @return whether the kernel accepted the reset; without it the peak spans the process life
     */
    static boolean resetPeak(long pid) {
        try {
            Files.writeString(Paths.get("/proc", Long.toString(pid), "clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long kibibytes(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("no " + key + " in /proc status (expected: a Linux "
                + "process)");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
