package dev.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.berth.bench.Target.Kind;

/**
 * Writes a run's figures as {@code results.json} (medians, every sample, ratios, machine and
 * settings) and {@code results.md} (the table the README shows).
 */
final class Report {
    static final String JSON_FILE = "results.json";
    static final String MARKDOWN_FILE = "results.md";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+[\\w.+~-]*");

    private Report() {
    }

    /** Writes both files into {@code settings.output()}; returns the JSON file. */
    static Path write(Results results, Machine machine, BenchSettings settings) {
        List<Results.Row> rows = new ArrayList<>(results.rows());
        // Stable: figures keep the order they were first recorded in within a workload.
        rows.sort(Comparator.comparing(row -> row.metric().workload()));
        try {
            Files.createDirectories(settings.output());
            Path json = settings.output().resolve(JSON_FILE);
            JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(),
                    json(rows, machine, settings));
            Files.writeString(settings.output().resolve(MARKDOWN_FILE),
                    markdown(rows, machine, settings), StandardCharsets.UTF_8);
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results into " + settings.output(), e);
        }
    }

    private static ObjectNode json(List<Results.Row> rows, Machine machine,
            BenchSettings settings) {
        ObjectNode root = JSON.createObjectNode();
        root.put("mode", settings.mode());
        root.put("repeats", settings.repeats());
        root.set("machine", JSON.valueToTree(machine));
        root.set("settings", settingsJson(settings));
        ArrayNode figures = root.putArray("figures");
        for (Results.Row row : rows) {
            ObjectNode figure = figures.addObject();
            figure.put("workload", row.metric().workload());
            figure.put("figure", row.metric().name());
            figure.put("unit", row.metric().unit());
            figure.put("better", row.metric().better().name().toLowerCase(Locale.ROOT));
            ObjectNode medians = figure.putObject("median");
            row.medians().forEach((kind, value) -> medians.put(kind.label(), value));
            putRatio(figure, "berthOverDistribution", row.berthOver(Kind.DISTRIBUTION));
            putRatio(figure, "berthOverNginx", row.berthOver(Kind.NGINX));
            ObjectNode samples = figure.putObject("samples");
            row.samples().forEach((kind, values) -> {
                ArrayNode list = samples.putArray(kind.label());
                values.forEach(list::add);
            });
            ObjectNode notApplicable = figure.putObject("notApplicable");
            row.notApplicable().forEach((kind, reason) -> notApplicable.put(kind.label(), reason));
        }
        return root;
    }

    private static void putRatio(ObjectNode figure, String field, OptionalDouble ratio) {
        if (ratio.isPresent()) {
            figure.put(field, ratio.getAsDouble());
        } else {
            figure.putNull(field);
        }
    }

    private static ObjectNode settingsJson(BenchSettings settings) {
        ObjectNode node = JSON.createObjectNode();
        node.put("berthJvm", String.join(" ", Servers.BERTH_JVM));
        node.put("warmUpSeconds", settings.warmUp().toMillis() / 1000.0);
        node.putPOJO("connections", settings.connections());
        node.put("manifestLoadSeconds", settings.manifestLoad().toMillis() / 1000.0);
        node.put("blobBytes", settings.blobSize());
        node.putPOJO("blobClients", settings.blobClients());
        node.put("blobLoadSeconds", settings.blobLoad().toMillis() / 1000.0);
        node.put("chunkBytes", settings.chunkSize());
        node.put("smallImages", settings.smallImages());
        node.put("workers", settings.workers());
        node.put("mixedLoadSeconds", settings.mixedLoad().toMillis() / 1000.0);
        node.put("mixedClients", settings.mixedClients());
        node.put("tags", settings.tags());
        node.put("repositories", settings.repositories());
        node.put("pageSize", settings.pageSize());
        node.put("referrerManifests", settings.referrerManifests());
        node.put("listingLoadSeconds", settings.listingLoad().toMillis() / 1000.0);
        return node;
    }

    private static String markdown(List<Results.Row> rows, Machine machine,
            BenchSettings settings) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Measured %s in %s mode: median of %d repeat%s, "
                + "Berth and Distribution alternating within each repeat.%n%n", machine.date(),
                settings.mode(), settings.repeats(), settings.repeats() == 1 ? "" : "s"));
        out.append(String.format(Locale.ROOT, "Machine: %d × %s, %.1f GiB memory, %s; load "
                + "average %.2f before the run, %.2f after.", machine.cores(), machine.cpuModel(),
                machine.memoryGib(), machine.kernel(), machine.loadBefore(), machine.loadAfter()));
        if (machine.loadBefore() > machine.cores() / 2.0) {
            out.append(" The machine was busy with other work during the run, so the figures are"
                    + " noisy.");
        }
        out.append(String.format(Locale.ROOT, "%n%nSoftware: Berth on %s with %s; Distribution %s;"
                + " nginx %s; wrk %s.%n%n", machine.java(), String.join(" ", Servers.BERTH_JVM),
                version(machine.distribution()), version(machine.nginx()),
                version(machine.wrk())));
        out.append("| workload | figure | unit | better | Berth | Distribution "
                + "| Berth/Distribution | nginx | Berth/nginx |\n");
        out.append("|---|---|---|:-:|--:|--:|--:|--:|--:|\n");
        String workload = "";
        for (Results.Row row : rows) {
            Metric metric = row.metric();
            out.append("| ").append(metric.workload().equals(workload) ? "" : metric.workload())
                    .append(" | ").append(metric.name())
                    .append(" | ").append(metric.unit())
                    .append(" | ").append(metric.better().symbol())
                    .append(" | ").append(cell(row, Kind.BERTH))
                    .append(" | ").append(cell(row, Kind.DISTRIBUTION))
                    .append(" | ").append(ratio(row.berthOver(Kind.DISTRIBUTION)))
                    .append(" | ").append(cell(row, Kind.NGINX))
                    .append(" | ").append(ratio(row.berthOver(Kind.NGINX)))
                    .append(" |\n");
            workload = metric.workload();
        }
        return out.toString();
    }

    /** The version number in a program's version line, or the whole line when there is none. */
    private static String version(String line) {
        Matcher matcher = VERSION.matcher(line);
        return matcher.find() ? matcher.group() : line;
    }

    private static String cell(Results.Row row, Kind kind) {
        Map<Kind, String> notApplicable = row.notApplicable();
        if (notApplicable.containsKey(kind)) {
            return "n/a";
        }
        Double value = row.medians().get(kind);
        return value == null ? "" : number(value);
    }

    private static String ratio(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "";
    }

    /** About three significant digits, thousands separated. */
    static String number(double value) {
        double magnitude = Math.abs(value);
        if (value == 0) {
            return "0";
        }
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 0.1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
