package dev.berth.it;

import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Garbage collection asked of a running server ({@code POST /admin/gc}), its JSON report
 * ({@code dryRun}, counts, and the lists {@code tags}, {@code manifests}, {@code links} and
 * {@code blobs}) and what {@code /metrics} says it reclaimed.
 */
final class GcRuns {
    static final String PATH = "/admin/gc";
    static final String DRY_RUN_PATH = PATH + "?dryRun=true";

    private static final Pattern RECLAIMED_BYTES = Pattern.compile(
            "(?m)^berth_gc_reclaimed_bytes_total(?:\\{[^}]*\\})? ([0-9.eE+-]+)$");

    private GcRuns() {
    }

    /**
     * Runs a collection, or a dry run, checks the answer is a 200 JSON report, and returns it.
     * With zero grace, what was stored in the same millisecond as the run starts still counts as
     * young; the call first lets the clock pass the current millisecond, so that everything
     * pushed before it is old enough to go.
     */
    static JsonNode collect(RegistryClient registry, boolean dryRun) {
        Poll.pastMillis(System.currentTimeMillis());
        HttpResponse<byte[]> response = registry.post(dryRun ? DRY_RUN_PATH : PATH, new byte[0]);

        assertStatus(response, 200);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        JsonNode report = json(response);
        assertThat(report.path("dryRun").asBoolean(!dryRun))
                .as(() -> "dryRun in " + report)
                .isEqualTo(dryRun);
        return report;
    }

    /** The strings of list {@code field} of a report: {@code repo@digest}, {@code repo:tag}... */
    static List<String> list(JsonNode report, String field) {
        JsonNode array = report.path(field);
        assertThat(array.isArray()).as(() -> field + " array in " + report).isTrue();
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The value of {@code berth_gc_reclaimed_bytes_total} on the server's {@code /metrics}. */
    static double reclaimedBytes(RegistryClient registry) {
        HttpResponse<byte[]> metrics = registry.get("/metrics");

        assertThat(metrics.statusCode()).as(() -> Responses.describe(metrics)).isEqualTo(200);
        Matcher matcher = RECLAIMED_BYTES.matcher(Responses.text(metrics));
        assertThat(matcher.find())
                .as("berth_gc_reclaimed_bytes_total in /metrics")
                .isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
