package dev.berth.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code berth.jar} running as a separate JVM, as an operator would start it.
 *
 * <p>{@link #start} returns once the server has logged {@code registry ready ... port=N}. Its
 * stdout and stderr are merged and drained by a daemon thread, so the pipe never fills up, and
 * the last {@value #KEPT_LINES} lines are kept for failure messages. {@link #close} stops the
 * process and waits for it; {@link #restart} starts a fresh process on the same data directory
 * with the same JVM and server arguments. {@link #kill} stops it the hard way, for crash tests.
 */
final class BerthProcess implements AutoCloseable {
    /** Location of the packaged server, set by the failsafe configuration of this module. */
    static final String JAR_PROPERTY = "berth.jar";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern READY = Pattern.compile("registry ready.*\\bport=(\\d+)");
    private static final int KEPT_LINES = 200;

    private final Path data;
    private final List<String> jvmArgs;
    private final List<String> serverArgs;
    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final Thread drain;
    private volatile int port;

    private BerthProcess(Path data, List<String> jvmArgs, List<String> serverArgs,
            Process process) {
        this.data = data;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.serverArgs = List.copyOf(serverArgs);
        this.process = process;
        this.drain = new Thread(this::drainOutput, "berth-output-" + process.pid());
        this.drain.setDaemon(true);
    }

    /**
     * Starts {@code java -Xmx256m [extraJvmArgs] -jar berth.jar serve} on a free port of
     * 127.0.0.1 with {@code data} as its data directory, and waits until it is ready to serve
     * requests. The extra arguments come after the default heap size, so an {@code -Xmx} among
     * them wins.
     *
     * @throws AssertionError when the server exits or is not ready within 60 seconds; the
     *         message carries the last lines the server printed
     */
    static BerthProcess start(Path data, String... extraJvmArgs) {
        return startWith(data, List.of(extraJvmArgs), List.of());
    }

    /**
     * Starts the server as {@link #start} does, with {@code serverArgs} (such as
     * {@code --htpasswd FILE} or {@code --config FILE}) after the port, host and data directory
     * flags. A file they name must exist before the call.
     *
     * @throws AssertionError when the server exits or is not ready within 60 seconds; the
     *         message carries the last lines the server printed
     */
    static BerthProcess startWith(Path data, List<String> jvmArgs, List<String> serverArgs) {
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.add("-Xmx256m");
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar().toString(), "serve", "--port", "0",
                "--host", "127.0.0.1", "--data", data.toAbsolutePath().toString()));
        command.addAll(serverArgs);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }

        BerthProcess berth = new BerthProcess(data, jvmArgs, serverArgs, process);
        berth.drain.start();
        process.onExit().thenRun(berth::exitedEarly);
        berth.awaitReady();
        return berth;
    }

    /** The port the server listens on. */
    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>/}, against which the {@code Location} headers resolve. */
    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The data directory the server was started with. */
    Path data() {
        return data;
    }

    /** The operating-system process id of the server. */
    long pid() {
        return process.pid();
    }

    /** Whether the server process is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines the server printed, oldest first, for failure messages. */
    String recentOutput() {
        synchronized (lastLines) {
            return String.join(System.lineSeparator(), lastLines);
        }
    }

    /**
     * Stops this server and starts a new one on the same data directory with the same JVM and
     * server arguments; files the arguments name are read again.
     */
    BerthProcess restart() {
        close();
        return startWith(data, jvmArgs, serverArgs);
    }

    /**
     * Asks the server to stop (SIGTERM, so its shutdown hook closes storage) and waits for it;
     * kills it when it does not stop within 30 seconds.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            drain.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the server without warning, as {@code kill -9} or the OOM killer would: SIGKILL on
     * Linux, so no shutdown hook runs and nothing the process holds is flushed or closed (what
     * it already wrote stays in the page cache, unlike after a power cut). Waits until it is gone
     * (at most 30 seconds) and its last output has been read. {@link #restart} then starts a new
     * server on the same data directory.
     *
     * @throws AssertionError when the process is still alive 30 seconds later
     */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("berth (pid " + process.pid() + ") survived SIGKILL for "
                        + STOP_TIMEOUT.toSeconds() + " s");
            }
            drain.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for berth to die", e);
        }
    }

    /** The {@code java} launcher of the JVM running the tests, which also runs the server. */
    static Path java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }

    /** The packaged server named by {@value #JAR_PROPERTY}, checked to exist. */
    static Path jar() {
        String location = System.getProperty(JAR_PROPERTY);
        if (location == null || location.isBlank()) {
            throw new IllegalStateException("system property " + JAR_PROPERTY
                    + " is not set (expected: the path of server/target/berth.jar)");
        }
        Path jar = Paths.get(location).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(JAR_PROPERTY + ": " + jar
                    + " (expected: an existing file; build it with mvn install -DskipTests)");
        }
        return jar;
    }

    private void awaitReady() {
        try {
            port = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            close();
            throw new AssertionError("berth was not ready within " + READY_TIMEOUT.toSeconds()
                    + " s; its output:\n" + recentOutput(), e);
        } catch (ExecutionException e) {
            close();
            throw new AssertionError(e.getCause().getMessage() + "; its output:\n" + recentOutput(),
                    e);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for berth to start", e);
        }
    }

    private void drainOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                keep(line);
                Matcher matcher = READY.matcher(line);
                if (!ready.isDone() && matcher.find()) {
                    ready.complete(Integer.parseInt(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            // The stream closes under us when the process is killed; the output so far is kept.
            keep("[output stream closed: " + e.getMessage() + "]");
        }
    }

    private void keep(String line) {
        synchronized (lastLines) {
            if (lastLines.size() == KEPT_LINES) {
                lastLines.removeFirst();
            }
            lastLines.addLast(line);
        }
    }

    private void exitedEarly() {
        // Reading the last lines first means a crash message printed just before exit is kept.
        try {
            drain.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ready.completeExceptionally(new IllegalStateException(
                "berth exited with code " + process.exitValue() + " before it was ready"));
    }
}
