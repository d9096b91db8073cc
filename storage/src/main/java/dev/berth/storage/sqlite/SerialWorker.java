package dev.berth.storage.sqlite;

import java.sql.SQLException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * Runs one connection's JDBC calls one at a time, in the order they were subscribed, on a
 * thread of the injected scheduler.
 *
 * <p>A SQLite handle must never be used by two threads at once, yet every publisher of a
 * connection subscribes on the scheduler, so two of them could otherwise land on two pool
 * threads together. Each connection therefore takes one {@link Scheduler.Worker}: Reactor runs
 * the tasks of a worker in FIFO order and never two at the same time. That gives the
 * serialisation without a lock, so no scheduler thread ever waits for another one.
 */
final class SerialWorker {
    private final Scheduler.Worker worker;

    SerialWorker(Scheduler scheduler) {
        this.worker = scheduler.createWorker();
    }

    /**
     * A publisher that runs {@code call} on this worker when subscribed and emits its result
     * (nothing when it returns {@code null}). A subscriber that cancels before the call starts
     * skips it; one that cancels later lets it finish and drops the result.
     */
    <T> Mono<T> call(JdbcCall<T> call, String sql) {
        return Mono.create(sink -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            sink.onCancel(() -> cancelled.set(true));
            execute(() -> {
                if (!cancelled.get()) {
                    complete(sink, call, sql);
                }
            }, sink);
        });
    }

    /** Schedules {@code task}, failing {@code sink} when the worker is already gone. */
    void execute(Runnable task, MonoSink<?> sink) {
        try {
            worker.schedule(task);
        } catch (RejectedExecutionException e) {
            sink.error(SqliteExceptionFactory.closed());
        }
    }

    /**
     * Runs {@code last} after every call already queued, then releases the worker. It runs even
     * when its subscriber cancels, so the JDBC handle is always closed.
     */
    Mono<Void> shutdown(JdbcCall<Void> last) {
        return Mono.create(sink -> execute(() -> {
            try {
                complete(sink, last, null);
            } finally {
                worker.dispose();
            }
        }, sink));
    }

    void dispose() {
        worker.dispose();
    }

    private static <T> void complete(MonoSink<T> sink, JdbcCall<T> call, String sql) {
        T value;
        try {
            value = call.call();
        } catch (SQLException e) {
            sink.error(SqliteExceptionFactory.translate(e, sql));
            return;
        } catch (RuntimeException | Error e) {
            // A fatal JVM error is rethrown; anything else must reach the subscriber, or it waits
            // forever for a task that already ended.
            Exceptions.throwIfJvmFatal(e);
            sink.error(e);
            return;
        }
        if (value == null) {
            sink.success();
        } else {
            sink.success(value);
        }
    }

    /** One blocking JDBC call. */
    @FunctionalInterface
    interface JdbcCall<T> {
        T call() throws SQLException;
    }
}
