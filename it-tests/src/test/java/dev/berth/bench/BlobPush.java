package dev.berth.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Workload 3: push of one large blob, monolithic ({@code POST}, then {@code PUT} with the whole
 * body) and chunked ({@code PATCH}es of the chunk size, then a bodiless {@code PUT}). Every push
 * sends new bytes, so no registry can skip one as already stored. Also reports the registry's
 * CPU seconds per GB pushed.
 *
 * <p>Pushes go through {@link SocketPush}, so the client's own copies do not set the rate.
 *
 * <p>The blobs share one buffer whose first bytes are stamped before each push, so the heap
 * holds one blob however many are pushed; pushes run one at a time.
 */
final class BlobPush implements Workload {
    static final String TITLE = "3. blob push";
    static final String REPOSITORY = "bench/push";
    /** The longest a push may wait for any one answer. */
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /**
     * Pushes of each kind per repeat, of which the median counts: a single push of 256 MiB took
     * anywhere from 0.5 to 1.1 s on one quiet machine, too noisy for one sample per repeat.
     */
    private static final int PUSHES_PER_REPEAT = 3;

    private final BenchSettings settings;
    private final byte[] buffer;
    private final Map<Long, String> digests = new HashMap<>();

    BlobPush(BenchSettings settings) {
        this.settings = settings;
        this.buffer = Blob.randomBytes(settings.blobSize(), 3);
    }

    @Override
    public String title() {
        return TITLE;
    }

    /**
     * One push of each kind before the first repeat, with stamps no repeat uses, so that no
     * registry's first measured push also pays for loading and compiling its upload code.
     */
    @Override
    public void warmUp(Target target) {
        if (!settings.warmUp().isZero()) {
            pushBoth(target, -2);
        }
    }

    @Override
    public void run(Target target, int repeat, Recorder recorder) {
        long size = settings.blobSize();
        String label = BlobPull.size(size);
        double cpuBefore = target.cpuSeconds();
        double[] monolithic = new double[PUSHES_PER_REPEAT];
        double[] chunked = new double[PUSHES_PER_REPEAT];
        for (int i = 0; i < PUSHES_PER_REPEAT; i++) {
            double[] seconds = pushBoth(target, (repeat * (long) PUSHES_PER_REPEAT + i) * 2);
            monolithic[i] = seconds[0];
            chunked[i] = seconds[1];
        }
        double cpu = target.cpuSeconds() - cpuBefore;

        recorder.add(Metric.higher(TITLE, label + " monolithic (POST, PUT): throughput", "MB/s"),
                size / median(monolithic) / 1e6);
        recorder.add(Metric.higher(TITLE, label + " chunked (" + BlobPull.size(
                settings.chunkSize()) + " PATCHes): throughput", "MB/s"),
                size / median(chunked) / 1e6);
        recorder.add(Metric.lower(TITLE, "server CPU per GB pushed", "s"),
                cpu / (2.0 * PUSHES_PER_REPEAT * size / 1e9));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * A monolithic push of the blob stamped {@code stamp}, then a chunked one of {@code stamp + 1}.
     *
     * @return the seconds each took
     */
    private double[] pushBoth(Target target, long stamp) {
        try (SocketPush push = SocketPush.open(target.process().baseUri(), TIMEOUT)) {
            Blob monolithic = stamped(stamp);
            long start = System.nanoTime();
            push.pushBlob(REPOSITORY, monolithic);
            double monolithicSeconds = (System.nanoTime() - start) / 1e9;

            Blob chunked = stamped(stamp + 1);
            start = System.nanoTime();
            push.pushChunked(REPOSITORY, chunked, settings.chunkSize());
            return new double[] {monolithicSeconds, (System.nanoTime() - start) / 1e9};
        }
    }

    /** The buffer stamped with {@code stamp}; valid until the next call. */
    private Blob stamped(long stamp) {
        ByteBuffer.wrap(buffer).putLong(0, stamp);
        // Both registries push the same blobs; hash each once.
        String digest = digests.computeIfAbsent(stamp, key -> Blob.digest(buffer));
        return new Blob(buffer, digest);
    }
}
