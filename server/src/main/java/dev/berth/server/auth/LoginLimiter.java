package dev.berth.server.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Slows down password guessing: once a client address has failed to log in
 * {@code maxFailures} times within a sliding {@code window}, its further attempts are refused
 * until the oldest of those failures is older than the window. A successful login forgets the
 * address's failures. The defaults allow 10 failures per minute.
 *
 * <p>The HTTP layer calls {@link #retryAfter} before it checks a password (a refused attempt is
 * answered {@code 429 Too Many Requests} with {@code Retry-After} and no password check), then
 * {@link #failed} when the password was wrong and {@link #succeeded} when it was right. A
 * failure is recorded only once it happened, so correct logins sent in parallel never count.
 *
 * <p>Memory is bounded: at most {@code maxAddresses} addresses are tracked, each forgotten one
 * window after its last failure, so an attacker rotating addresses cannot exhaust the heap.
 *
 * <p>Limitation: past {@code maxAddresses} addresses with recent failures, the least useful
 * entries are evicted and those addresses start afresh.
 *
 * <p>Limitation: a client that holds valid credentials of its own can reset its address's
 * count by logging in; the limit slows guessing by outsiders, not by users.
 *
 * <p>Limitation: wrong attempts sent in parallel all pass the check before any of their failures
 * is recorded, so a burst may try more passwords than {@code maxFailures} before it is slowed.
 *
 * <p>Limitation: clients behind one NAT address share one count, so a misconfigured CI job
 * failing in a loop also blocks correct logins from that address until the window passes.
 */
public final class LoginLimiter {
    public static final int DEFAULT_MAX_FAILURES = 10;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final long DEFAULT_MAX_ADDRESSES = 100_000;

    private final int maxFailures;
    private final long windowMillis;
    private final Clock clock;
    private final Cache<String, Failures> failures;

    /** A limiter with the defaults: 10 failures per minute, 100,000 addresses. */
    public LoginLimiter(Clock clock) {
        this(DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_MAX_ADDRESSES, clock);
    }

    /**
     * A limiter refusing an address after {@code maxFailures} failures within {@code window},
     * tracking at most {@code maxAddresses} addresses.
     */
    public LoginLimiter(int maxFailures, Duration window, long maxAddresses, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException(
                    "maxFailures: " + maxFailures + " (expected: at least 1)");
        }
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("window: " + window + " (expected: at least 1 ms)");
        }
        if (maxAddresses < 1) {
            throw new IllegalArgumentException(
                    "maxAddresses: " + maxAddresses + " (expected: at least 1)");
        }
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.failures = Caffeine.newBuilder()
                .maximumSize(maxAddresses)
                .expireAfterWrite(window)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    /**
     * How long {@code address} must wait before its next login attempt, rounded up to whole
     * seconds as {@code Retry-After} needs; empty when it may try now.
     */
    public Optional<Duration> retryAfter(String address) {
        long wait = waitMillis(failures.getIfPresent(address), clock.millis());

        return wait > 0 ? Optional.of(roundUp(wait)) : Optional.empty();
    }

    /** Records a failed login from {@code address}. */
    public void failed(String address) {
        long now = clock.millis();
        failures.asMap().compute(address, (key, recent) -> withFailure(recent, now));
    }

    /** Forgets the failures of {@code address}, after it logged in. */
    public void succeeded(String address) {
        failures.invalidate(address);
    }

    /** Milliseconds until {@code recent} allows another attempt, 0 when it does now. */
    private long waitMillis(Failures recent, long now) {
        if (recent == null || recent.countSince(now - windowMillis) < maxFailures) {
            return 0;
        }
        return recent.oldest() + windowMillis - now;
    }

    private Failures withFailure(Failures recent, long now) {
        if (recent == null) {
            return Failures.first(now);
        }
        return recent.plus(now, now - windowMillis, maxFailures);
    }

    private static Duration roundUp(long millis) {
        return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
    }

    /** How many addresses are tracked now, after expired and evicted entries are dropped. */
    long trackedAddresses() {
        failures.cleanUp();
        return failures.estimatedSize();
    }

    /**
     * The key to count a client under: an IPv4 address as written, an IPv6 address by its
     * {@code /64} network, since one host commonly holds a whole {@code /64} and could rotate
     * through it.
     */
    public static String addressKey(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            int group = ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
            key.append(Integer.toHexString(group)).append(':');
        }
        return key.append(":/64").toString();
    }

    /**
     * The times of an address's latest failures, oldest first, at most {@code maxFailures}.
     * Never changed once built, so a reader needs no lock.
     */
    private record Failures(long[] times) {
        static Failures first(long now) {
            return new Failures(new long[] {now});
        }

        Failures plus(long now, long since, int max) {
            long[] kept = Arrays.stream(times)
                    .filter(time -> time > since)
                    .toArray();
            int from = Math.max(0, kept.length + 1 - max);
            long[] next = Arrays.copyOfRange(kept, from, kept.length + 1);
            next[next.length - 1] = now;
            return new Failures(next);
        }

        int countSince(long since) {
            return (int) Arrays.stream(times)
                    .filter(time -> time > since)
                    .count();
        }

        long oldest() {
            return times[0];
        }
    }
}
