package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code idleTimeout:} on plain HTTP, over raw sockets: a connection that sends nothing for the
 * timeout is closed, counted from its last answer; one that keeps sending requests stays open;
 * a request body that stops arriving gets its connection closed.
 */
final class IdleTimeoutIT {
    private static final Duration IDLE = Duration.ofSeconds(1);
    /** The most a close may come after the timeout: the guard's timer plus a slow machine. */
    private static final Duration SLACK = Duration.ofSeconds(4);

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--config",
            write(dir.resolve("berth.yaml"), "idleTimeout: 1s\n").toString()));

    @Test
    void silentConnection_closedAfterTimeout() throws IOException {
        try (Socket socket = connect()) {
            long start = System.nanoTime();

            int read = socket.getInputStream().read();

            assertThat(read).isEqualTo(-1);
            assertThat(since(start)).isBetween(IDLE.minusMillis(200), IDLE.plus(SLACK));
        }
    }

    @Test
    void keepAliveConnection_closedOneTimeoutAfterItsLastAnswer() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // Idle for most of a timeout before the request: the clock restarts with the answer.
            sleep(IDLE.multipliedBy(3).dividedBy(4));
            assertThat(get(out, in, "/v2/")).isEqualTo(200);
            long answered = System.nanoTime();

            int read = in.read();

            assertThat(read).isEqualTo(-1);
            assertThat(since(answered)).isBetween(IDLE.minusMillis(200), IDLE.plus(SLACK));
        }
    }

    @Test
    void connectionAskingEveryHalfTimeout_staysOpen() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();

            for (int i = 0; i < 6; i++) {
                sleep(IDLE.dividedBy(2));
                assertThat(get(out, in, "/v2/")).as("request %d", i).isEqualTo(200);
            }
        }
    }

    @Test
    void stalledRequestBody_closedAfterTimeout() throws IOException {
        String location = BERTH.client().startUpload(Repos.unique("idle-stalled"));
        try (Socket socket = connect()) {
            String path = BERTH.process().baseUri().resolve(location).getRawPath();
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n0123456789")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();

            byte[] rest = socket.getInputStream().readAllBytes();

            assertThat(since(start)).isBetween(IDLE.minusMillis(200), IDLE.plus(SLACK));
            assertThat(new String(rest, StandardCharsets.US_ASCII)).doesNotContain(" 202 ");
        }
    }

    private static Socket connect() throws IOException {
        URI base = BERTH.process().baseUri();
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout((int) IDLE.plus(SLACK).plus(SLACK).toMillis());
        return socket;
    }

    /** Sends {@code GET path} and reads the answer to its end; returns its status. */
    private static int get(OutputStream out, InputStream in, String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line(in);
        long length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(header.substring(header.indexOf(':') + 1).trim());
            }
        }
        in.readNBytes((int) length);
        return Integer.parseInt(status.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-answer");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void sleep(Duration time) {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String yaml) {
        try {
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
