package dev.berth.bench;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs numbered tasks on a fixed number of threads, bounded in count and in time: no task
 * starts after the time is up, and tasks still running a minute later fail the whole run.
 */
final class Parallel {
    private static final Duration GRACE = Duration.ofMinutes(1);

    private Parallel() {
    }

    /** How many tasks ran, how many failed, the first failure, and the elapsed time. */
    record Outcome(long succeeded, long failed, double seconds, RuntimeException firstFailure) {

        /** Logs the first failure, naming {@code what}, if any task failed; returns this. */
        Outcome logFailures(String what) {
            if (failed > 0) {
                BenchRun.log(what + ": " + failed + " of " + (succeeded + failed)
                        + " failed; the first: " + firstFailure);
            }
            return this;
        }

        /** This outcome; throws the first failure, naming {@code what}, if any task failed. */
        Outcome requireNoFailure(String what) {
            if (failed > 0) {
                throw new IllegalStateException(what + ": " + failed + " of "
                        + (succeeded + failed) + " tasks failed; the first", firstFailure);
            }
            return this;
        }
    }

    /**
     * Runs {@code task} for the numbers {@code 0} to {@code count - 1} on {@code threads}
     * threads, starting no task once {@code startFor} has passed.
     */
    static Outcome run(int threads, long count, Duration startFor, IntConsumer task) {
        long start = System.nanoTime();
        long stopStarting = start + startFor.toNanos();
        AtomicInteger next = new AtomicInteger();
        AtomicLong succeeded = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<RuntimeException> first = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int i = 0; i < threads; i++) {
            pool.execute(() -> {
                while (System.nanoTime() < stopStarting) {
                    int number = next.getAndIncrement();
                    if (number >= count) {
                        return;
                    }
                    try {
                        task.accept(number);
                        succeeded.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        first.compareAndSet(null, e);
                    }
                }
            });
        }
        pool.shutdown();
        awaitTermination(pool, startFor.plus(GRACE));
        return new Outcome(succeeded.get(), failed.get(), (System.nanoTime() - start) / 1e9,
                first.get());
    }

    private static void awaitTermination(ExecutorService pool, Duration limit) {
        try {
            if (!pool.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                throw new IllegalStateException("tasks still running after " + limit.toSeconds()
                        + " s");
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while tasks ran", e);
        }
    }
}
