package dev.berth.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Workload 4: many small images (a config, two small layers, a manifest) pushed by concurrent
 * workers the way clients push: {@code HEAD} each blob, push the missing ones with
 * {@code POST} and {@code PUT}, then {@code PUT} the manifest. New images in every repeat,
 * spread over a few repositories.
 */
final class SmallImages implements Workload {
    static final String TITLE = "4. small images";
    static final int LAYER_SIZE = 4096;

    private static final int REPOSITORIES = 8;
    private static final Duration LIMIT = Duration.ofMinutes(5);
    private static final long WARM_UP_SEEDS = 3_000_000_000L;
    private static final int WARM_UP_ROUNDS = 5;

    private final BenchSettings settings;
    private final Map<Integer, List<Image>> imagesByRepeat = new HashMap<>();

    SmallImages(BenchSettings settings) {
        this.settings = settings;
    }

    @Override
    public String title() {
        return TITLE;
    }

    /**
     * Five times as many images as one repeat, pushed the same way into repositories no repeat
     * uses, so that no repeat pays for loading and compiling each registry's upload and manifest
     * code, as the other workloads' warm-ups ensure for theirs. Berth's JIT needs that many: in
     * a loop of 200-image rounds against a fresh Berth on two CPUs, the rate went 50, 88, 102,
     * 119, 124 and 129 images/s over the first six rounds, and past 400 only from the tenth.
     */
    @Override
    public void warmUp(Target target) {
        if (settings.warmUp().isZero()) {
            return;
        }
        // Seeds apart from every other workload's, so no blob is already there.
        List<Image> images = images(WARM_UP_SEEDS, WARM_UP_ROUNDS * settings.smallImages());
        push(target, images, "bench/small-warm-up-", "w")
                .requireNoFailure(TITLE + " warm-up on " + target.kind().label());
    }

    @Override
    public void run(Target target, int repeat, Recorder recorder) {
        // Both registries push the same images; they are made before the clock starts.
        List<Image> images = imagesByRepeat.computeIfAbsent(repeat,
                key -> images(1_000_000L * (key + 1), settings.smallImages()));

        Parallel.Outcome outcome = push(target, images, "bench/small-", "r" + repeat + "-")
                .logFailures(TITLE + " on " + target.kind().label());

        String load = String.format(Locale.ROOT, "%,d images, %d workers", images.size(),
                settings.workers());
        recorder.add(Metric.higher(TITLE, load + ": images/s", "images/s"),
                outcome.succeeded() / outcome.seconds());
        recorder.add(Metric.errors(TITLE, load + ": errors"), outcome.failed());
    }

    /** {@code count} small images made from the seeds {@code firstSeed} on. */
    private static List<Image> images(long firstSeed, int count) {
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(Image.small(firstSeed + i, 2, LAYER_SIZE));
        }
        return images;
    }

    /** Pushes {@code images} with the workload's workers, spread over a few repositories. */
    private Parallel.Outcome push(Target target, List<Image> images, String repositoryPrefix,
            String tagPrefix) {
        return Parallel.run(settings.workers(), images.size(), LIMIT,
                number -> target.http().pushImage(repositoryPrefix + number % REPOSITORIES,
                        tagPrefix + number, images.get(number)));
    }
}
