package dev.berth.storage.sqlite;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * A small non-blocking pool of R2DBC connections with a fixed upper size. Connections are
 * created lazily, up to {@code maxSize}; past that, callers queue in arrival order and are
 * handed connections as others are released. No thread ever waits: a queued caller is a
 * pending {@link Mono}, failed with an {@link R2dbcTimeoutException} after the acquire timeout.
 *
 * <p>A pool of size 1 is Berth's single SQLite writer: write transactions queue on it instead of
 * racing for SQLite's write lock.
 *
 * <p>The pool's state lives under one monitor, held only for a few field updates and never
 * while calling out, so a caller's code never runs inside it.
 *
 * <p>Limitation: connections are not validated; one that broke while idle is handed out as it
 * is. Only a connection whose rollback failed is closed and replaced.
 */
public final class ConnectionPool {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    private final ConnectionFactory factory;
    private final int maxSize;
    private final Duration acquireTimeout;
    private final Object lock = new Object();

    // Guarded by lock.
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private final Set<Connection> leased = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Connections idle, leased or being created. */
    private int size;
    private boolean closed;

    /**
     * A pool over {@code factory}.
     *
     * @param factory where connections come from
     * @param maxSize the most connections open at once, at least 1
     * @param acquireTimeout how long {@link #acquire()} may wait for a connection
     */
    public ConnectionPool(ConnectionFactory factory, int maxSize, Duration acquireTimeout) {
        this.factory = Objects.requireNonNull(factory, "factory");
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize: " + maxSize + " (expected: >= 1)");
        }
        if (acquireTimeout == null || acquireTimeout.isNegative() || acquireTimeout.isZero()) {
            throw new IllegalArgumentException("acquireTimeout: " + acquireTimeout
                    + " (expected: > 0)");
        }
        this.maxSize = maxSize;
        this.acquireTimeout = acquireTimeout;
    }

    /**
     * A connection for the subscriber's sole use until it {@linkplain #release releases} it. An
     * idle connection is handed over at once; otherwise one is created if the pool has room,
     * else the subscriber queues.
     *
     * <p>Fails with {@link R2dbcTimeoutException} when no connection comes within the acquire
     * timeout, and with {@link R2dbcNonTransientResourceException} once the pool is closed.
     * Cancelling leaves the queue; a connection that was on its way goes back to the pool.
     */
    public Mono<Connection> acquire() {
        return Mono.create(this::enqueue);
    }

    /** Gives a connection back: to the longest-waiting caller, else to the idle set. */
    public Mono<Void> release(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        return Mono.defer(() -> recycle(connection));
    }

    /** Runs {@code work} with a connection, released however the work ends (also on cancel). */
    public <T> Flux<T> withConnection(Function<Connection, ? extends Publisher<T>> work) {
        return Flux.usingWhen(acquire(), work, this::release);
    }

    /**
     * Runs {@code work} in a transaction: begin, then commit when the work completes, or roll
     * back when it fails or is cancelled; then the connection is released. The commit is the
     * last step of the returned {@link Flux}, so a failed commit is rolled back and its own
     * error is emitted.
     */
    public <T> Flux<T> inTransaction(Function<Connection, ? extends Publisher<T>> work) {
        return Flux.usingWhen(acquire(),
                connection -> transaction(connection, work),
                this::release,
                (connection, error) -> rollbackThenRelease(connection),
                this::rollbackThenRelease);
    }

    /**
     * Runs {@code work} in a transaction that is always rolled back, however the work ends: a dry
     * run sees its own writes as it goes, and none of them stay.
     */
    public <T> Flux<T> inRolledBackTransaction(Function<Connection, ? extends Publisher<T>> work) {
        return Flux.usingWhen(acquire(),
                connection -> Mono.from(connection.beginTransaction())
                        .thenMany(Flux.defer(() -> work.apply(connection))),
                this::rollbackThenRelease,
                (connection, error) -> rollbackThenRelease(connection),
                this::rollbackThenRelease);
    }

    private static <T> Flux<T> transaction(Connection connection,
            Function<Connection, ? extends Publisher<T>> work) {
        Mono<T> commit = Mono.defer(() -> Mono.from(connection.commitTransaction()))
                .then(Mono.empty());
        return Mono.from(connection.beginTransaction())
                .thenMany(Flux.defer(() -> work.apply(connection)))
                .concatWith(commit);
    }

    /**
     * Closes the idle connections and fails every queued and later {@link #acquire()}. Leased
     * connections are closed when they are released.
     */
    public Mono<Void> close() {
        return Mono.defer(() -> {
            List<Connection> idleNow;
            List<Waiter> waitingNow;
            synchronized (lock) {
                if (closed) {
                    return Mono.empty();
                }
                closed = true;
                idleNow = new ArrayList<>(idle);
                waitingNow = new ArrayList<>(waiters);
                idle.clear();
                waiters.clear();
                size -= idleNow.size();
                waitingNow.forEach(waiter -> waiter.done = true);
            }
            waitingNow.forEach(waiter -> waiter.fail(closedError()));
            return Flux.fromIterable(idleNow)
                    .concatMap(this::closeQuietly)
                    .then();
        });
    }

    private void enqueue(MonoSink<Connection> sink) {
        Waiter waiter = new Waiter(sink);
        sink.onCancel(() -> cancelled(waiter));
        Connection ready = null;
        boolean rejected = false;
        boolean grow = false;
        synchronized (lock) {
            if (waiter.done) {
                // Cancelled before this ran: the cancel hook fired at once and nothing is owed.
                return;
            }
            if (closed) {
                waiter.done = true;
                rejected = true;
            } else if (!idle.isEmpty()) {
                ready = idle.pollFirst();
                handOver(waiter, ready);
            } else {
                waiters.addLast(waiter);
                grow = reserveSlot();
            }
        }

        if (rejected) {
            sink.error(closedError());
        } else if (ready != null) {
            sink.success(ready);
        } else {
            waiter.timer = Mono.delay(acquireTimeout).subscribe(tick -> timedOut(waiter));
            if (grow) {
                createConnection();
            }
        }
    }

    /** Under the lock: claims room for one more connection when someone waits for it. */
    private boolean reserveSlot() {
        if (closed || waiters.isEmpty() || size >= maxSize) {
            return false;
        }
        size++;
        return true;
    }

    /** Under the lock: gives {@code connection} to {@code waiter}, whose sink is then completed. */
    private void handOver(Waiter waiter, Connection connection) {
        waiter.done = true;
        waiter.connection = connection;
        leased.add(connection);
    }

    /**
     * Creates a connection outside any caller's subscription, so a caller that cancels never
     * strands a half-open one: the new connection goes to whoever waits when it arrives.
     */
    private void createConnection() {
        Mono.from(factory.create()).subscribe(this::offer, this::creationFailed);
    }

    private void offer(Connection connection) {
        Waiter waiter = null;
        boolean unwanted = false;
        synchronized (lock) {
            if (closed) {
                size--;
                unwanted = true;
            } else {
                waiter = waiters.pollFirst();
                if (waiter == null) {
                    idle.addFirst(connection);
                } else {
                    handOver(waiter, connection);
                }
            }
        }
        if (waiter != null) {
            waiter.deliver(connection);
        } else if (unwanted) {
            closeQuietly(connection).subscribe();
        }
    }

    private void creationFailed(Throwable error) {
        Waiter waiter;
        boolean grow;
        synchronized (lock) {
            size--;
            waiter = waiters.pollFirst();
            if (waiter != null) {
                waiter.done = true;
            }
            grow = reserveSlot();
        }
        LOG.debug("pool connection not created error={}", error.toString());
        if (waiter != null) {
            waiter.fail(error);
        }
        if (grow) {
            createConnection();
        }
    }

    private Mono<Void> recycle(Connection connection) {
        boolean close;
        synchronized (lock) {
            if (!leased.remove(connection)) {
                return Mono.error(new IllegalArgumentException("connection: " + connection
                        + " (expected: one acquired from this pool and not yet released)"));
            }
            close = closed;
            if (close) {
                size--;
            }
        }
        if (close) {
            return closeQuietly(connection);
        }
        offer(connection);
        return Mono.empty();
    }

    private void cancelled(Waiter waiter) {
        Connection stranded;
        synchronized (lock) {
            if (!waiter.done) {
                waiter.done = true;
                waiters.remove(waiter);
                waiter.stopTimer();
                return;
            }
            // Cancelled while a connection was being handed over: the sink drops it, so it
            // never reached the subscriber and goes back to the pool.
            stranded = waiter.connection;
            waiter.connection = null;
        }
        if (stranded != null) {
            recycle(stranded).subscribe();
        }
    }

    private void timedOut(Waiter waiter) {
        synchronized (lock) {
            if (waiter.done) {
                return;
            }
            waiter.done = true;
            waiters.remove(waiter);
        }
        waiter.fail(new R2dbcTimeoutException("no pooled connection within " + acquireTimeout
                + " (maxSize: " + maxSize + ")"));
    }

    /** Rolls back, then releases; a connection that cannot roll back is closed instead. */
    private Mono<Void> rollbackThenRelease(Connection connection) {
        return Mono.from(connection.rollbackTransaction())
                .then(release(connection))
                .onErrorResume(error -> discard(connection, error));
    }

    private Mono<Void> discard(Connection connection, Throwable error) {
        LOG.warn("pool connection rollback failed, closing it error={}", error.toString());
        boolean grow;
        synchronized (lock) {
            if (leased.remove(connection)) {
                size--;
            }
            grow = reserveSlot();
        }
        if (grow) {
            createConnection();
        }
        return closeQuietly(connection);
    }

    private Mono<Void> closeQuietly(Connection connection) {
        return Mono.from(connection.close())
                .onErrorResume(error -> {
                    LOG.warn("pool connection close failed error={}", error.toString());
                    return Mono.empty();
                });
    }

    private static R2dbcNonTransientResourceException closedError() {
        return new R2dbcNonTransientResourceException("connection pool is closed");
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ConnectionPool{maxSize=" + maxSize + ", size=" + size + ", idle=" + idle.size()
                    + ", waiting=" + waiters.size() + ", closed=" + closed + "}";
        }
    }

    /** A subscriber of {@link #acquire()} waiting for a connection. */
    private static final class Waiter {
        private final MonoSink<Connection> sink;
        /** Delivered, failed, timed out or cancelled. Guarded by the pool's lock. */
        private boolean done;
        /** The connection handed over, until the sink has it. Guarded by the pool's lock. */
        private Connection connection;
        private volatile Disposable timer;

        Waiter(MonoSink<Connection> sink) {
            this.sink = sink;
        }

        void deliver(Connection handed) {
            stopTimer();
            sink.success(handed);
        }

        void fail(Throwable error) {
            stopTimer();
            sink.error(error);
        }

        void stopTimer() {
            Disposable current = timer;
            if (current != null) {
                current.dispose();
            }
        }
    }
}
