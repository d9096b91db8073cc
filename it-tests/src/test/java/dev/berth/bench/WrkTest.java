package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WrkTest {
    private static final String CLEAN = String.join("\n",
            "Running 2s test @ http://127.0.0.1:15000/v2/t/r/manifests/tag1",
            "  2 threads and 64 connections",
            "  Thread Stats   Avg      Stdev     Max   +/- Stdev",
            "    Latency    78.15ms  158.11ms   1.01s    89.84%",
            "    Req/Sec     1.53k   842.12     4.04k    75.00%",
            "  Latency Distribution",
            "     50%   15.76ms",
            "     75%   56.69ms",
            "     90%  240.88ms",
            "     99%    1.20s",
            "  5559 requests in 2.10s, 3.01MB read",
            "Requests/sec:   2648.75",
            "Transfer/sec:      1.43MB",
            "");

    private static final String WITH_ERRORS = String.join("\n",
            "  Latency Distribution",
            "     50%  812.00us",
            "     75%    1.00ms",
            "     90%    2.00ms",
            "     99%    3.50ms",
            "  12 requests in 1.00m, 2.50GB read",
            "  Socket errors: connect 1, read 2, write 3, timeout 4",
            "  Non-2xx or 3xx responses: 5",
            "Requests/sec:      0.20",
            "");

    @Test
    void parse_cleanRun_readsTotalsAndPercentiles() {
        LoadResult result = Wrk.parse(CLEAN);

        assertThat(result.requests()).isEqualTo(5559);
        assertThat(result.seconds()).isCloseTo(2.10, within(1e-9));
        assertThat(result.bytes()).isEqualTo(Math.round(3.01 * (1 << 20)));
        assertThat(result.p50Millis()).isCloseTo(15.76, within(1e-9));
        assertThat(result.p99Millis()).isCloseTo(1200, within(1e-9));
        assertThat(result.errors()).isZero();
    }

    @Test
    void parse_socketErrorsAndBadStatuses_addsThemUp() {
        LoadResult result = Wrk.parse(WITH_ERRORS);

        assertThat(result.errors()).isEqualTo(15);
        assertThat(result.seconds()).isCloseTo(60, within(1e-9));
        assertThat(result.bytes()).isEqualTo(Math.round(2.5 * (1L << 30)));
        assertThat(result.p50Millis()).isCloseTo(0.812, within(1e-9));
        assertThat(result.megabytesPerSecond())
                .isCloseTo(2.5 * (1L << 30) / 60 / 1e6, within(1e-3));
    }

    @Test
    void parse_noTotals_failsWithTheOutput() {
        assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Connection refused");
    }
}
