package dev.berth.bench;

import java.time.Duration;
import java.util.Map;

/**
 * Workload 2: GET of one large blob by 1, 8 and 64 concurrent clients (wrk); nginx serves the
 * same bytes from a file as the ceiling for raw bytes. Throughput counts every byte received,
 * so answers still in flight when the time is up count for what arrived.
 */
final class BlobPull implements Workload {
    static final String TITLE = "2. blob GET";
    static final String REPOSITORY = "bench/blob";
    static final String BLOB_FILE = "/blob.bin";

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final BenchSettings settings;
    private final Wrk wrk;
    private final Blob blob;

    BlobPull(BenchSettings settings, Wrk wrk, Blob blob) {
        this.settings = settings;
        this.wrk = wrk;
        this.blob = blob;
    }

    @Override
    public String title() {
        return TITLE;
    }

    @Override
    public boolean appliesTo(Target target) {
        return true;
    }

    @Override
    public void seed(Target target) {
        target.http().pushBlob(REPOSITORY, blob);
    }

    @Override
    public void run(Target target, int repeat, Recorder recorder) {
        String path = target.isRegistry()
                ? "v2/" + REPOSITORY + "/blobs/" + blob.digest() : BLOB_FILE.substring(1);
        long errors = 0;
        for (int clients : settings.blobClients()) {
            LoadResult result = wrk.get(target.process().baseUri().resolve(path), clients,
                    settings.blobLoad(), TIMEOUT, Map.of());
            recorder.add(Metric.higher(TITLE, size(blob.size()) + ", " + clients
                    + (clients == 1 ? " client" : " clients") + ": throughput", "MB/s"),
                    result.megabytesPerSecond());
            errors += result.errors();
        }
        recorder.add(Metric.errors(TITLE, "errors"), errors);
    }

    /** {@code 256 MiB}, or {@code 512 KiB} for sizes that are no whole number of MiB. */
    static String size(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return (bytes >> 10) + " KiB";
    }
}
