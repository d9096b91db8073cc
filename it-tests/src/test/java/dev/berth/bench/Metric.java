package dev.berth.bench;

/**
 * One figure of the report: the workload it belongs to, what it measures, its unit, and which
 * way is better.
 */
record Metric(String workload, String name, String unit, Better better) {

    /** Which way a figure is better. */
    enum Better {
        HIGHER("↑"),
        LOWER("↓"),
        /** A count of errors: anything but zero is a failure. */
        ZERO("0");

        private final String symbol;

        Better(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }
    }

    static Metric higher(String workload, String name, String unit) {
        return new Metric(workload, name, unit, Better.HIGHER);
    }

    static Metric lower(String workload, String name, String unit) {
        return new Metric(workload, name, unit, Better.LOWER);
    }

    static Metric errors(String workload, String name) {
        return new Metric(workload, name, "count", Better.ZERO);
    }
}
