package dev.berth.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server the harness started as a child process on a free port of 127.0.0.1, with its output
 * in a log file. {@link #start} returns once the server has answered {@code 200} to a probe
 * request, and remembers how long that took: the start-up time to the first served request.
 * {@link #close} stops the process by its PID, with {@code SIGTERM} first.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int PROBE_TIMEOUT_MILLIS = 1000;
    private static final int LOG_TAIL_BYTES = 4000;

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private Duration startup;

    private ServerProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code command} with {@code environment} added, output to {@code log}, and waits
     * until {@code GET probePath} on {@code port} answers {@code 200}.
     *
     * @throws IllegalStateException when the process exits or is not ready within 60 seconds;
     *         the message carries the end of its log
     */
    static ServerProcess start(String name, List<String> command, Map<String, String> environment,
            int port, String probePath, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }

        ServerProcess server = new ServerProcess(name, process, port, log);
        server.awaitReady(probePath, started);
        return server;
    }

    /** A port of 127.0.0.1 that nothing listens on right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>/}. */
    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** From starting the process to the first {@code 200} answer to the probe. */
    Duration startup() {
        return startup;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last few thousand characters of the server's output, for failure messages. */
    String logTail() {
        try {
            byte[] bytes = Files.readAllBytes(log);
            int from = Math.max(0, bytes.length - LOG_TAIL_BYTES);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "[cannot read " + log + ": " + e.getMessage() + "]";
        }
    }

    /** Copies the server's output into {@code dir}, as {@code <name>.log}. */
    void keepLog(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.copy(log, dir.resolve(name + ".log"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + log + " to " + dir, e);
        }
    }

    /** Sends {@code SIGTERM} to the process and waits; kills it when it has not stopped in 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(String probePath, long started) {
        long deadline = started + READY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with code "
                            + process.exitValue() + " before it was ready; its output:\n"
                            + logTail());
                }
                if (probe(probePath)) {
                    startup = Duration.ofNanos(System.nanoTime() - started);
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        close();
        throw new IllegalStateException(name + " was not ready within "
                + READY_TIMEOUT.toSeconds() + " s; its output:\n" + logTail());
    }

    private boolean probe(String path) {
        // A bare socket, so the probe costs no client set-up and a refused connection fails fast.
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    PROBE_TIMEOUT_MILLIS);
            socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] statusLine = in.readNBytes(12);
            return new String(statusLine, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }
}
