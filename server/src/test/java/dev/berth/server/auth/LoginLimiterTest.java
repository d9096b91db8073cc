package dev.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class LoginLimiterTest {
    private static final String ADDRESS = "203.0.113.7";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final LoginLimiter limiter = new LoginLimiter(clock);

    @Test
    void retryAfter_fewerFailuresThanLimit_allowed() {
        failTimes(ADDRESS, 9);

        assertThat(limiter.retryAfter(ADDRESS)).isEmpty();
    }

    @Test
    void retryAfter_tenFailuresWithinMinute_blockedUntilMinutePasses() {
        failTimes(ADDRESS, 10);

        assertThat(limiter.retryAfter(ADDRESS)).contains(Duration.ofSeconds(60));

        clock.advance(Duration.ofSeconds(45));
        assertThat(limiter.retryAfter(ADDRESS)).contains(Duration.ofSeconds(15));

        clock.advance(Duration.ofSeconds(15));
        assertThat(limiter.retryAfter(ADDRESS)).isEmpty();
    }

    @Test
    void retryAfter_failuresSpreadOverWindow_releasedWhenOldestAges() {
        for (int i = 0; i < 10; i++) {
            limiter.failed(ADDRESS);
            clock.advance(Duration.ofSeconds(5));
        }
        // Failures at 0 s, 5 s, ... 45 s; now is 50 s.

        assertThat(limiter.retryAfter(ADDRESS)).contains(Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.retryAfter(ADDRESS)).isEmpty();

        limiter.failed(ADDRESS);
        assertThat(limiter.retryAfter(ADDRESS)).contains(Duration.ofSeconds(5));
    }

    @Test
    void retryAfter_partOfSecondLeft_roundsUpToWholeSecond() {
        failTimes(ADDRESS, 10);

        clock.advance(Duration.ofMillis(59_001));

        assertThat(limiter.retryAfter(ADDRESS)).contains(Duration.ofSeconds(1));
    }

    @Test
    void succeeded_afterFailures_resetsCount() {
        failTimes(ADDRESS, 9);

        limiter.succeeded(ADDRESS);
        failTimes(ADDRESS, 9);

        assertThat(limiter.retryAfter(ADDRESS)).isEmpty();
    }

    @Test
    void failed_oneAddressBlocked_otherAddressesAllowed() {
        failTimes(ADDRESS, 10);

        assertThat(limiter.retryAfter(ADDRESS)).isPresent();
        assertThat(limiter.retryAfter("203.0.113.8")).isEmpty();
    }

    @Test
    void failed_moreAddressesThanCapacity_memoryStaysBounded() {
        LoginLimiter small = new LoginLimiter(2, Duration.ofMinutes(1), 100, clock);

        for (int i = 0; i < 10_000; i++) {
            small.failed("10.0." + (i / 256) + "." + (i % 256));
        }

        assertThat(small.trackedAddresses()).isLessThanOrEqualTo(100);
    }

    @Test
    void failed_windowPassesWithoutFailures_addressForgotten() {
        failTimes(ADDRESS, 3);

        clock.advance(Duration.ofMinutes(1));

        assertThat(limiter.retryAfter(ADDRESS)).isEmpty();
        assertThat(limiter.trackedAddresses()).isZero();
    }

    @Test
    void constructor_invalidSettings_throws() {
        assertThatThrownBy(() -> new LoginLimiter(0, Duration.ofMinutes(1), 10, clock))
                .hasMessage("maxFailures: 0 (expected: at least 1)");
        assertThatThrownBy(() -> new LoginLimiter(1, Duration.ZERO, 10, clock))
                .hasMessage("window: PT0S (expected: at least 1 ms)");
        assertThatThrownBy(() -> new LoginLimiter(1, Duration.ofMinutes(1), 0, clock))
                .hasMessage("maxAddresses: 0 (expected: at least 1)");
    }

    @Test
    void addressKey_ipv4AndIpv6_ipv4WholeIpv6By64() throws UnknownHostException {
        String v4 = LoginLimiter.addressKey(InetAddress.getByName("203.0.113.7"));
        String v6a = LoginLimiter.addressKey(InetAddress.getByName("2001:db8:1:2:aaaa::1"));
        String v6b = LoginLimiter.addressKey(InetAddress.getByName("2001:db8:1:2:bbbb::9"));
        String v6c = LoginLimiter.addressKey(InetAddress.getByName("2001:db8:1:3::1"));

        assertThat(v4).isEqualTo("203.0.113.7");
        assertThat(v6a).isEqualTo("2001:db8:1:2::/64").isEqualTo(v6b);
        assertThat(v6c).isNotEqualTo(v6a);
    }

    private void failTimes(String address, int times) {
        for (int i = 0; i < times; i++) {
            limiter.failed(address);
        }
    }
}
