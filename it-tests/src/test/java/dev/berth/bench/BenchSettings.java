package dev.berth.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Sizes, counts and durations of one benchmark run. {@link #full} is the benchmark;
 * {@link #smoke} runs every workload at tiny sizes in a few seconds each, to keep the harness
 * working in the test suite.
 *
 * @param mode {@code full} or {@code smoke}, written into the results
 * @param repeats how many times every workload runs against every server; figures are medians
 * @param output where {@code results.json} and {@code results.md} go
 * @param berthJar the packaged server
 * @param warmUp length of each manifest and listing-page load run on each registry before the
 *     first repeat (zero: no warm-up of any workload)
 * @param connections connection counts of the manifest GET and HEAD loads
 * @param manifestLoad length of each manifest load
 * @param blobSize size of the pulled and pushed blobs
 * @param blobClients concurrent clients of the blob GET loads
 * @param blobLoad length of each blob GET load
 * @param chunkSize size of each PATCH of the chunked push
 * @param smallImages images pushed by the small-images workload
 * @param workers concurrent pushers of the small-images workload
 * @param mixedLoad length of the mixed load
 * @param mixedClients concurrent clients of the mixed load
 * @param tags tags of the listed repository
 * @param repositories repositories seeded for the catalog
 * @param pageSize {@code n} of every listing request
 * @param referrerManifests manifests among which one digest's referrers are listed
 * @param listingLoad length of each listing loop
 */
record BenchSettings(String mode, int repeats, Path output, Path berthJar, Duration warmUp,
        List<Integer> connections, Duration manifestLoad, int blobSize, List<Integer> blobClients,
        Duration blobLoad, int chunkSize, int smallImages, int workers, Duration mixedLoad,
        int mixedClients, int tags, int repositories, int pageSize, int referrerManifests,
        Duration listingLoad) {

    private static final int MIB = 1 << 20;

    /** The benchmark, sized to finish in about fifteen minutes on two cores. */
    static BenchSettings full(Path output, Path berthJar) {
        return new BenchSettings("full", 3, output, berthJar, Duration.ofSeconds(15),
                List.of(64, 1000), Duration.ofSeconds(2), 256 * MIB, List.of(1, 8, 64),
                Duration.ofSeconds(2), 8 * MIB, 200, 32, Duration.ofSeconds(30), 32, 10_000,
                1_000, 100, 100_000, Duration.ofSeconds(3));
    }

    /** Every workload once at tiny sizes: 1 MiB blobs, 5 small images, 50 tags, 1 s loads. */
    static BenchSettings smoke(Path output, Path berthJar) {
        return new BenchSettings("smoke", 1, output, berthJar, Duration.ZERO, List.of(16),
                Duration.ofSeconds(1), MIB, List.of(1, 4), Duration.ofSeconds(1), 256 * 1024, 5,
                4, Duration.ofSeconds(1), 8, 50, 20, 10, 200, Duration.ofMillis(500));
    }

    /** These settings with {@code repeats} repeats. */
    BenchSettings withRepeats(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("repeats: " + count + " (expected: at least 1)");
        }
        return new BenchSettings(mode, count, output, berthJar, warmUp, connections,
                manifestLoad, blobSize, blobClients, blobLoad, chunkSize, smallImages, workers,
                mixedLoad, mixedClients, tags, repositories, pageSize, referrerManifests,
                listingLoad);
    }
}
