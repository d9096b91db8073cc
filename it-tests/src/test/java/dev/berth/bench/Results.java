package dev.berth.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import dev.berth.bench.Target.Kind;

/**
 * Every sample of every figure, per server, in the order the figures were first recorded; and
 * the servers a figure does not apply to, with the reason.
 */
final class Results {
    private final Map<Metric, Map<Kind, List<Double>>> samples = new LinkedHashMap<>();
    private final Map<Metric, Map<Kind, String>> notApplicable = new LinkedHashMap<>();

    /** One figure of the report: medians per server and Berth's ratios to the others. */
    record Row(Metric metric, Map<Kind, Double> medians, Map<Kind, List<Double>> samples,
            Map<Kind, String> notApplicable) {

        /** Berth's median over {@code other}'s, when both exist and the divisor is not zero. */
        OptionalDouble berthOver(Kind other) {
            Double berth = medians.get(Kind.BERTH);
            Double divisor = medians.get(other);
            if (berth == null || divisor == null || divisor == 0) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(berth / divisor);
        }
    }

    synchronized void add(Metric metric, Kind kind, double value) {
        samples.computeIfAbsent(metric, key -> new EnumMap<>(Kind.class))
                .computeIfAbsent(kind, key -> new ArrayList<>())
                .add(value);
    }

    /** Records that {@code metric} does not apply to {@code kind}, and why. */
    synchronized void notApplicable(Metric metric, Kind kind, String reason) {
        samples.computeIfAbsent(metric, key -> new EnumMap<>(Kind.class));
        notApplicable.computeIfAbsent(metric, key -> new EnumMap<>(Kind.class)).put(kind, reason);
    }

    synchronized List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        samples.forEach((metric, perKind) -> {
            Map<Kind, Double> medians = new EnumMap<>(Kind.class);
            perKind.forEach((kind, values) -> medians.put(kind, median(values)));
            rows.add(new Row(metric, medians, copy(perKind),
                    notApplicable.getOrDefault(metric, Map.of())));
        });
        return rows;
    }

    /** The median; the mean of the two middle values for an even count. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int middle = sorted.size() / 2;
        if (sorted.size() % 2 == 1) {
            return sorted.get(middle);
        }
        return (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static Map<Kind, List<Double>> copy(Map<Kind, List<Double>> perKind) {
        Map<Kind, List<Double>> copy = new EnumMap<>(Kind.class);
        perKind.forEach((kind, values) -> copy.put(kind, List.copyOf(values)));
        return copy;
    }
}
