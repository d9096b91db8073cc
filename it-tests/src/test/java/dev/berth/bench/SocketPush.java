package dev.berth.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Large blob pushes over one plain keep-alive socket, written straight from the blob's array.
 *
 * <p>Why not {@link RegistryHttp}: the JDK's HTTP client copies a request body through small
 * buffers and threads of its own, which costs the load generator CPU that the registries need
 * on a small machine. Pushes, like the HEAD load, use a small client made for the job instead.
 * It speaks just enough HTTP/1.1 for the upload calls: a request with a {@code Content-Length}
 * body, and an answer whose body, if any, has a {@code Content-Length}.
 *
 * <p>Every push here writes new bytes, and the run keeps them all, so a registry that writes
 * through the page cache needs fresh cache pages for each push. On the virtual machine the
 * benchmark was built on, filling fresh pages costs far more kernel time than the disk write
 * itself (measured with {@code dd conv=fsync}: 0.8 s of system time per 256 MiB into new
 * pages, 0.06 s into pages freed a moment before). That, not this client, kept pushes measured
 * here at about half the rate of single pushes by curl into a fresh data directory, until
 * Berth began to write uploads with {@code O_DIRECT}.
 */
final class SocketPush implements AutoCloseable {
    /** The most bytes handed to the socket in one write. */
    private static final int WRITE_SLICE = 1 << 20;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final URI base;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private SocketPush(URI base, Duration timeout) throws IOException {
        this.base = base;
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** A connection to the registry at {@code base}; every read waits at most {@code timeout}. */
    static SocketPush open(URI base, Duration timeout) {
        try {
            return new SocketPush(base, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + base, e);
        }
    }

    /** Pushes {@code blob} the monolithic way: {@code POST} an upload, then {@code PUT} it all. */
    void pushBlob(String repository, Blob blob) {
        String location = startUpload(repository);
        call("PUT", RegistryHttp.withDigest(location, blob.digest()), blob.bytes(), 0, blob.size(), 201);
    }

    /** Pushes {@code blob} in {@code PATCH}es of {@code chunkSize} bytes, then a bodiless PUT. */
    void pushChunked(String repository, Blob blob, int chunkSize) {
        String location = startUpload(repository);
        for (int offset = 0; offset < blob.size(); offset += chunkSize) {
            int length = Math.min(chunkSize, blob.size() - offset);
            Answer answer = call("PATCH", location, blob.bytes(), offset, length, 202,
                    "Content-Range: " + offset + "-" + (offset + length - 1));
            location = answer.location(location);
        }
        call("PUT", RegistryHttp.withDigest(location, blob.digest()), new byte[0], 0, 0, 201);
    }

    private String startUpload(String repository) {
        String path = "/v2/" + repository + "/blobs/uploads/";
        return call("POST", path, new byte[0], 0, 0, 202).location(path);
    }

    /** One answer's status and {@code Location}. */
    private record Answer(int status, String location) {
        String location(String request) {
            if (location == null) {
                throw new IllegalStateException("the answer to " + request + " had no Location");
            }
            return location;
        }
    }

    private Answer call(String method, String target, byte[] body, int offset, int length, int expected,
            String... headers) {
        String path = pathOf(target);
        try {
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Content-Type: ").append(RegistryHttp.OCTET_STREAM).append("\r\n")
                    .append("Content-Length: ").append(length).append("\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent < length; sent += WRITE_SLICE) {
                out.write(body, offset + sent, Math.min(WRITE_SLICE, length - sent));
            }
            out.flush();
            return read(method + " " + path, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    private Answer read(String request, int expected) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException(request + " answered " + statusLine + " (expected: an HTTP/1.1 status line)");
        }
        int status = Integer.parseInt(parts[1]);
        String location = null;
        long contentLength = 0;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("location")) {
                location = value;
            } else if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equals("transfer-encoding")) {
                throw new IOException(request + " answered with Transfer-Encoding: " + value
                        + " (expected: a Content-Length body)");
            }
        }
        byte[] answerBody = in.readNBytes((int) Math.min(contentLength, MAX_HEADER_BYTES));
        if (status != expected) {
            throw new IllegalStateException(request + " answered " + status + " (expected: " + expected + "): "
                    + new String(answerBody, StandardCharsets.UTF_8));
        }
        return new Answer(status, location);
    }

    /** One header line without its CRLF; fails at the end of the stream or on an endless line. */
    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the registry closed the connection mid-answer");
            }
            if (bytes.size() >= MAX_HEADER_BYTES) {
                throw new IOException("an answer header line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    /** The path and query of {@code target}, which may be absolute or relative to the registry. */
    private String pathOf(String target) {
        URI uri = base.resolve(target);
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing was pending on it; a close that fails loses nothing.
        }
    }
}
