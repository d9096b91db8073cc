package dev.berth.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A HEAD load in the manner of wrk: a fixed number of keep-alive connections to 127.0.0.1, each
 * with one request in flight, sent again as soon as the answer's headers are in, for a bounded
 * time and a bounded count. Two threads, each with its own selector and share of the
 * connections, as {@code wrk -t2} runs.
 *
 * <p>An answer other than 2xx, a connection the server closes or resets, and a request pending
 * longer than the timeout count as errors; the connection is then opened again. Requests still
 * in flight when the time is up are left out, as wrk leaves them out.
 */
final class HeadLoad {
    private static final int THREADS = 2;
    private static final int HEAD_LIMIT = 16 * 1024;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private HeadLoad() {
    }

    /**
     * Sends {@code HEAD path} with {@code headers} to {@code port} over {@code connections}
     * connections until {@code duration} has passed or {@code maxRequests} have completed.
     */
    static LoadResult run(int port, String path, Map<String, String> headers, int connections,
            Duration duration, long maxRequests, Duration timeout) {
        StringBuilder request = new StringBuilder("HEAD ").append(path)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value)
                .append("\r\n"));
        byte[] bytes = request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);

        int threads = Math.min(THREADS, connections);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Worker>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int share = connections / threads + (i < connections % threads ? 1 : 0);
                Worker worker = new Worker(address, bytes, share, duration,
                        Math.max(1, maxRequests / threads), timeout);
                futures.add(pool.submit(worker::call));
            }
            return merge(collect(futures, duration.plus(timeout).plusSeconds(30)));
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Worker> collect(List<Future<Worker>> futures, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<Worker> done = new ArrayList<>();
        try {
            for (Future<Worker> future : futures) {
                done.add(future.get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS));
            }
            return done;
        } catch (ExecutionException e) {
            throw new IllegalStateException("HEAD load failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("HEAD load did not end within " + limit.toSeconds()
                    + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a HEAD load", e);
        }
    }

    private static LoadResult merge(List<Worker> workers) {
        long requests = 0;
        long errors = 0;
        long bytes = 0;
        double seconds = 0;
        for (Worker worker : workers) {
            requests += worker.completed;
            errors += worker.errors;
            bytes += worker.bytes;
            seconds = Math.max(seconds, worker.seconds);
        }
        long[] latencies = new long[(int) requests];
        int at = 0;
        for (Worker worker : workers) {
            System.arraycopy(worker.latencies, 0, latencies, at, (int) worker.completed);
            at += (int) worker.completed;
        }
        Arrays.sort(latencies);
        return new LoadResult(requests, errors, bytes, seconds, percentile(latencies, 0.50),
                percentile(latencies, 0.99));
    }

    private static double percentile(long[] sortedNanos, double fraction) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(fraction * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    /** One thread's connections and counts. */
    private static final class Worker {
        private final InetSocketAddress address;
        private final byte[] request;
        private final int connections;
        private final Duration duration;
        private final long[] latencies;
        private final long timeoutNanos;
        private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(HEAD_LIMIT);
        private Selector selector;
        private long completed;
        private long errors;
        private long bytes;
        private double seconds;
        private boolean running = true;

        Worker(InetSocketAddress address, byte[] request, int connections, Duration duration,
                long maxRequests, Duration timeout) {
            this.address = address;
            this.request = request;
            this.connections = connections;
            this.duration = duration;
            this.latencies = new long[(int) Math.min(Integer.MAX_VALUE - 8, maxRequests)];
            this.timeoutNanos = timeout.toNanos();
        }

        Worker call() throws IOException {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Connection> open = new ArrayList<>();
            try (Selector opened = Selector.open()) {
                selector = opened;
                for (int i = 0; i < connections; i++) {
                    open.add(new Connection());
                }
                open.forEach(this::connect);
                long nextCheck = start + TICK_NANOS;
                while (running && System.nanoTime() < end) {
                    selector.select(TimeUnit.NANOSECONDS.toMillis(TICK_NANOS));
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle((Connection) key.attachment(), key);
                    }
                    selector.selectedKeys().clear();
                    long now = System.nanoTime();
                    if (now >= nextCheck) {
                        open.forEach(connection -> expire(connection, now));
                        nextCheck = now + TICK_NANOS;
                    }
                }
                seconds = (System.nanoTime() - start) / 1e9;
            } finally {
                open.forEach(Connection::close);
            }
            return this;
        }

        private void connect(Connection connection) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                connection.channel = channel;
                connection.headLength = 0;
                if (channel.connect(address)) {
                    connection.key = channel.register(selector, 0, connection);
                    send(connection);
                } else {
                    connection.key = channel.register(selector, SelectionKey.OP_CONNECT,
                            connection);
                    connection.sentAt = System.nanoTime();
                }
            } catch (IOException e) {
                failed(connection);
            }
        }

        private void handle(Connection connection, SelectionKey key) {
            try {
                if (!key.isValid()) {
                    return;
                }
                if (key.isConnectable()) {
                    connection.channel.finishConnect();
                    send(connection);
                } else if (key.isWritable()) {
                    write(connection);
                } else if (key.isReadable()) {
                    read(connection);
                }
            } catch (IOException e) {
                failed(connection);
            }
        }

        private void send(Connection connection) throws IOException {
            connection.out = ByteBuffer.wrap(request);
            connection.headLength = 0;
            connection.sentAt = System.nanoTime();
            write(connection);
        }

        private void write(Connection connection) throws IOException {
            connection.channel.write(connection.out);
            connection.key.interestOps(connection.out.hasRemaining()
                    ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void read(Connection connection) throws IOException {
            readBuffer.clear();
            int read = connection.channel.read(readBuffer);
            if (read < 0) {
                failed(connection);
                return;
            }
            bytes += read;
            readBuffer.flip();
            if (connection.headLength + read > HEAD_LIMIT) {
                failed(connection);
                return;
            }
            readBuffer.get(connection.head, connection.headLength, read);
            connection.headLength += read;
            int end = indexOf(connection.head, connection.headLength, END_OF_HEAD);
            if (end >= 0) {
                answered(connection, end);
            }
        }

        private void answered(Connection connection, int headEnd) throws IOException {
            long latency = System.nanoTime() - connection.sentAt;
            String head = new String(connection.head, 0, headEnd, StandardCharsets.US_ASCII);
            boolean success = head.startsWith("HTTP/1.1 2");
            if (success) {
                latencies[(int) completed] = latency;
                completed++;
                running = completed < latencies.length;
            } else {
                errors++;
            }
            if (head.toLowerCase(Locale.ROOT).contains("\nconnection: close")) {
                connection.close();
                connect(connection);
            } else {
                send(connection);
            }
        }

        private void expire(Connection connection, long now) {
            if (connection.channel != null && now - connection.sentAt > timeoutNanos) {
                failed(connection);
            }
        }

        private void failed(Connection connection) {
            errors++;
            connection.close();
            if (running) {
                connect(connection);
            }
        }

        private static int indexOf(byte[] data, int length, byte[] pattern) {
            for (int i = 0; i + pattern.length <= length; i++) {
                if (Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** One keep-alive connection with at most one request in flight. */
    private static final class Connection {
        private final byte[] head = new byte[HEAD_LIMIT];
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private int headLength;
        private long sentAt;

        void close() {
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a broken connection can fail; it is gone either way.
            }
            channel = null;
        }
    }
}
