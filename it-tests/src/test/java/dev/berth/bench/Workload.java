package dev.berth.bench;

/**
 * One of the benchmark's workloads. The runner seeds each server once, then calls {@link #run}
 * once per repeat and server, alternating the registries, and samples the server's CPU time
 * and peak memory around each call.
 */
interface Workload {

    /** The workload's heading in the report, such as {@code 2. blob GET}. */
    String title();

    /** Whether the workload runs against {@code target}; by default, against registries. */
    default boolean appliesTo(Target target) {
        return target.isRegistry();
    }

    /** Puts what the timed runs read on the registry {@code target}; not measured. */
    default void seed(Target target) {
    }

    /** Loads the registry {@code target} briefly so the first repeat does not pay for warm-up. */
    default void warmUp(Target target) {
    }

    /** One measured run against {@code target}, its figures given to {@code recorder}. */
    void run(Target target, int repeat, Recorder recorder);
}
