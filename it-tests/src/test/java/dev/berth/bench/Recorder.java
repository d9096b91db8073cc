package dev.berth.bench;

import dev.berth.bench.Target.Kind;

/** Where a workload's run against one server puts its figures. */
record Recorder(Results results, Kind kind) {

    void add(Metric metric, double value) {
        results.add(metric, kind, value);
    }

    /** The usual four figures of a request load: requests/s, p50 and p99 latency, errors. */
    void addLoad(String workload, String load, LoadResult result) {
        add(Metric.higher(workload, load + ": requests/s", "req/s"), result.requestsPerSecond());
        add(Metric.lower(workload, load + ": p50 latency", "ms"), result.p50Millis());
        add(Metric.lower(workload, load + ": p99 latency", "ms"), result.p99Millis());
        add(Metric.errors(workload, load + ": errors"), result.errors());
    }
}
