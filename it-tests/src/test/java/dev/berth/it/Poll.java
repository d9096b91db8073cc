package dev.berth.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for something another process does in its own time (expire an upload, log a line):
 * ask again every {@value #INTERVAL_MILLIS} ms until the answer is the expected one or the
 * deadline has passed. Both the number of asks and the time are bounded.
 */
final class Poll {
    private static final long INTERVAL_MILLIS = 100;

    private Poll() {
    }

    /**
     * Calls {@code probe} until {@code done} accepts what it returns, and returns that.
     *
     * @throws AssertionError naming {@code what} and the last answer when {@code timeout} passes
     *         first
     */
    static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long polls = timeout.toMillis() / INTERVAL_MILLIS + 1;
        T last = null;
        for (long poll = 0; poll <= polls; poll++) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(INTERVAL_MILLIS).toNanos());
        }
        throw new AssertionError(what + " did not happen within " + timeout.toSeconds()
                + " s; last seen: " + describe(last));
    }

    /**
     * Waits until the wall clock has moved past {@code instantMillis}, so that a server reading
     * the same clock sees anything stored at that instant as strictly in the past.
     */
    static void pastMillis(long instantMillis) {
        until("the clock passing " + instantMillis, Duration.ofSeconds(1),
                System::currentTimeMillis, now -> now > instantMillis);
    }

    /**
     * Returns once {@link System#nanoTime} has reached {@code nanoTime}, for a test that must
     * pace its requests; at most 100 ms late.
     */
    static void untilNanoTime(long nanoTime) {
        Duration left = Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime()));
        until("nanoTime " + nanoTime, left.plusSeconds(1), System::nanoTime,
                now -> now - nanoTime >= 0);
    }

    private static String describe(Object last) {
        if (last instanceof HttpResponse<?> response && response.body() instanceof byte[]) {
            @SuppressWarnings("unchecked")
            HttpResponse<byte[]> bytes = (HttpResponse<byte[]>) response;
            return Responses.describe(bytes);
        }
        return String.valueOf(last);
    }
}
