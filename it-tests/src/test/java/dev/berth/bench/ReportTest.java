package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.bench.Target.Kind;

class ReportTest {
    private static final Metric PAGE_RATE = Metric.higher(Listings.TITLE,
            "tags page (n=100, last=t04950), 64 conns: requests/s", "req/s");
    private static final Metric WALK = Metric.lower(Listings.TITLE,
            "tags list (10,000 tags, n=100): full listing, median", "ms");
    private static final Machine MACHINE = new Machine("2026-01-01T00:00:00Z", "Test CPU", 2, 4,
            "Linux 6.1", "OpenJDK 17", "docker-registry 2.8.2", "nginx version: nginx/1.22.1",
            "wrk 4.1.0", 0.1, 0.2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path output;

    @Test
    void write_nginxFigure_berthOverNginxColumn() throws IOException {
        Results results = new Results();
        results.add(PAGE_RATE, Kind.BERTH, 40_000);
        results.add(PAGE_RATE, Kind.DISTRIBUTION, 10_000);
        results.add(PAGE_RATE, Kind.NGINX, 100_000);

        String markdown = markdown(results);

        assertThat(markdown).contains("| Berth/Distribution | nginx | Berth/nginx |\n")
                .contains("|---|---|---|:-:|--:|--:|--:|--:|--:|\n")
                .contains("| 6. listings | tags page (n=100, last=t04950), 64 conns: requests/s "
                        + "| req/s | ↑ | 40,000 | 10,000 | 4.00 | 100,000 | 0.40 |\n");
    }

    @Test
    void write_noNginxFigure_emptyRatioCells() throws IOException {
        Results results = new Results();
        results.add(WALK, Kind.BERTH, 12);

        String markdown = markdown(results);

        assertThat(markdown).contains("| 6. listings | tags list (10,000 tags, n=100): full "
                + "listing, median | ms | ↓ | 12.0 |  |  |  |  |\n");
    }

    @Test
    void write_bothRatios_inTheJson() throws IOException {
        Results results = new Results();
        results.add(PAGE_RATE, Kind.BERTH, 40_000);
        results.add(PAGE_RATE, Kind.NGINX, 100_000);

        Path json = Report.write(results, MACHINE, BenchSettings.smoke(output, Path.of("b.jar")));

        JsonNode figure = JSON.readTree(json.toFile()).path("figures").get(0);
        assertThat(figure.path("berthOverNginx").asDouble()).isEqualTo(0.4);
        assertThat(figure.path("berthOverDistribution").isNull()).isTrue();
    }

    @Test
    void number_magnitudes_aboutThreeSignificantDigits() {
        assertThat(Report.number(123_456.7)).isEqualTo("123,457");
        assertThat(Report.number(12.345)).isEqualTo("12.3");
        assertThat(Report.number(1.2345)).isEqualTo("1.23");
        assertThat(Report.number(0.012345)).isEqualTo("0.0123");
        assertThat(Report.number(0)).isEqualTo("0");
    }

    private String markdown(Results results) throws IOException {
        Report.write(results, MACHINE, BenchSettings.smoke(output, Path.of("b.jar")));
        return Files.readString(output.resolve(Report.MARKDOWN_FILE), StandardCharsets.UTF_8);
    }
}
