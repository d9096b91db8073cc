package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs every workload of the benchmark at tiny sizes, so the harness keeps working: against
 * Berth always, against Distribution and nginx when they are installed. A missing program skips
 * its part on a developer machine and fails the test when {@code CI} is {@code true}, as the
 * real-client tests do.
 */
class BenchmarkSmokeIT {
    private static final Path OUTPUT = Paths.get("target", "bench-smoke");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void run_smokeSettings_writesEverySaneFigure() throws IOException {
        Tools tools = new Tools(required(Binary.WRK).orElseGet(BenchmarkSmokeIT::skipWithoutWrk),
                required(Binary.DISTRIBUTION), required(Binary.NGINX));
        BenchSettings settings = BenchSettings.smoke(OUTPUT, berthJar());

        Path json = Benchmark.run(settings, tools);

        assertThat(json).isRegularFile();
        assertThat(OUTPUT.resolve(Report.MARKDOWN_FILE)).isRegularFile();
        JsonNode figures = JSON.readTree(json.toFile()).path("figures");
        List<String> columns = new ArrayList<>(List.of("Berth"));
        tools.distribution().ifPresent(path -> columns.add("Distribution"));
        assertThat(workloads(figures)).containsExactly(BenchRun.STARTUP_TITLE,
                ManifestLoad.TITLE, BlobPull.TITLE, BlobPush.TITLE, SmallImages.TITLE,
                MixedLoad.TITLE, Listings.TITLE);
        for (JsonNode figure : figures) {
            for (String column : columns) {
                if (!figure.path("notApplicable").has(column)) {
                    assertSane(figure, column);
                }
            }
            if (figure.path("median").has("nginx")) {
                assertSane(figure, "nginx");
            }
        }
        if (tools.nginx().isPresent()) {
            assertThat(figures.findValues("nginx")).isNotEmpty();
            assertThat(withNginx(figures, Listings.TITLE))
                    .anyMatch(name -> name.startsWith("tags page"))
                    .anyMatch(name -> name.startsWith("catalog page"));
        }
    }

    /** The names of the figures of {@code workload} that have an nginx median. */
    private static List<String> withNginx(JsonNode figures, String workload) {
        List<String> names = new ArrayList<>();
        for (JsonNode figure : figures) {
            if (figure.path("workload").asText().equals(workload)
                    && figure.path("median").has("nginx")) {
                names.add(figure.path("figure").asText());
            }
        }
        return names;
    }

    private static void assertSane(JsonNode figure, String column) {
        String name = column + ": " + figure.path("workload").asText() + " / "
                + figure.path("figure").asText();
        JsonNode median = figure.path("median").path(column);
        assertThat(median.isNumber()).as(name + " is present").isTrue();
        double value = median.asDouble();
        String better = figure.path("better").asText();
        if (better.equals("zero")) {
            assertThat(value).as(name).isZero();
        } else if (figure.path("figure").asText().contains("CPU")) {
            // /proc counts CPU time in 10 ms ticks; a tiny workload may stay below one.
            assertThat(value).as(name).isFinite().isGreaterThanOrEqualTo(0);
        } else {
            assertThat(value).as(name).isFinite().isPositive();
        }
    }

    private static List<String> workloads(JsonNode figures) {
        List<String> workloads = new ArrayList<>();
        for (JsonNode figure : figures) {
            String workload = figure.path("workload").asText();
            if (!workloads.contains(workload)) {
                workloads.add(workload);
            }
        }
        return workloads;
    }

    /** The program; when missing, fails under {@code CI=true}, else runs without it. */
    private static Optional<Path> required(Binary binary) {
        Optional<Path> path = binary.locate();
        if (path.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(binary.missing() + " (CI=true: a missing program fails instead of skipping)");
        }
        return path;
    }

    private static Path skipWithoutWrk() {
        return Assumptions.abort(Binary.WRK.missing() + "; the GET loads need it");
    }

    private static Path berthJar() {
        String location = System.getProperty("berth.jar");
        assertThat(location).as("system property berth.jar").isNotBlank();
        return Paths.get(location).toAbsolutePath().normalize();
    }
}
