package dev.berth.bench;

/**
 * What one time-bounded load did: completed requests, failed ones, bytes received, how long it
 * ran, and the median and 99th percentile latency of the completed requests.
 */
record LoadResult(long requests, long errors, long bytes, double seconds, double p50Millis,
        double p99Millis) {

    /** Completed requests per second. */
    double requestsPerSecond() {
        return requests / seconds;
    }

    /** Bytes received per second, in MB (10^6 bytes). */
    double megabytesPerSecond() {
        return bytes / seconds / 1e6;
    }
}
