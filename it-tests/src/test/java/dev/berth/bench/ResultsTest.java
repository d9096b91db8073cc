package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.berth.bench.Target.Kind;

class ResultsTest {
    private static final Metric RATE = Metric.higher("1. manifests", "GET: requests/s", "req/s");

    @Test
    void median_oddAndEvenCounts_middleOrMeanOfMiddles() {
        assertThat(Results.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Results.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void rows_bothRegistries_ratioOfMedians() {
        Results results = new Results();
        for (double value : new double[] {10, 30, 20}) {
            results.add(RATE, Kind.BERTH, value);
        }
        results.add(RATE, Kind.DISTRIBUTION, 5);
        results.add(RATE, Kind.DISTRIBUTION, 5);

        Results.Row row = results.rows().get(0);

        assertThat(row.medians()).containsEntry(Kind.BERTH, 20.0)
                .containsEntry(Kind.DISTRIBUTION, 5.0);
        assertThat(row.berthOver(Kind.DISTRIBUTION)).hasValue(4.0);
    }

    @Test
    void rows_notApplicableToDistribution_noRatio() {
        Results results = new Results();
        results.add(RATE, Kind.BERTH, 1);
        results.notApplicable(RATE, Kind.DISTRIBUTION, "no such API");

        Results.Row row = results.rows().get(0);

        assertThat(row.berthOver(Kind.DISTRIBUTION)).isEmpty();
        assertThat(row.notApplicable()).containsEntry(Kind.DISTRIBUTION, "no such API");
    }

    @Test
    void berthOver_nginxFigure_ratioToNginxOnly() {
        Results.Row row = berthAndNginx(40, 100);

        assertThat(row.berthOver(Kind.NGINX)).hasValue(0.4);
        assertThat(row.berthOver(Kind.DISTRIBUTION)).isEmpty();
    }

    @Test
    void berthOver_zeroDivisor_empty() {
        Results.Row row = berthAndNginx(3, 0);

        assertThat(row.berthOver(Kind.NGINX)).isEmpty();
    }

    private static Results.Row berthAndNginx(double berth, double nginx) {
        Results results = new Results();
        results.add(RATE, Kind.BERTH, berth);
        results.add(RATE, Kind.NGINX, nginx);
        return results.rows().get(0);
    }
}
