package dev.berth.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Workload 5: concurrent clients pulling and pushing for a fixed time, three pulls to one push.
 * A pull GETs a manifest by tag, then its config and layers; a push sends a new small image
 * (one layer) the way {@link SmallImages} does. Every HTTP request counts, and every pull or
 * push that fails counts as one error.
 */
final class MixedLoad implements Workload {
    static final String TITLE = "5. mixed 75 % pull / 25 % push";
    static final String PULL_REPOSITORY = "bench/mixed";
    static final String PUSH_REPOSITORY = "bench/mixed-push";

    private static final int PULL_IMAGES = 20;
    private static final long MAX_OPERATIONS = 10_000_000;

    private final BenchSettings settings;
    private final List<Image> pullImages = new ArrayList<>();

    MixedLoad(BenchSettings settings) {
        this.settings = settings;
        for (int i = 0; i < PULL_IMAGES; i++) {
            pullImages.add(Image.small(500_000L + i, 2, SmallImages.LAYER_SIZE));
        }
    }

    @Override
    public String title() {
        return TITLE;
    }

    @Override
    public void seed(Target target) {
        for (int i = 0; i < pullImages.size(); i++) {
            target.http().pushImage(PULL_REPOSITORY, "p" + i, pullImages.get(i));
        }
    }

    @Override
    public void run(Target target, int repeat, Recorder recorder) {
        AtomicLong requests = new AtomicLong();
        RegistryHttp http = target.http();

        Parallel.Outcome outcome = Parallel.run(settings.mixedClients(), MAX_OPERATIONS,
                settings.mixedLoad(), number -> operate(http, repeat, number, requests))
                .logFailures(TITLE + " on " + target.kind().label());

        String load = settings.mixedClients() + " clients, "
                + settings.mixedLoad().toSeconds() + " s";
        recorder.add(Metric.higher(TITLE, load + ": requests/s", "req/s"),
                requests.get() / outcome.seconds());
        recorder.add(Metric.errors(TITLE, load + ": failed pulls and pushes"), outcome.failed());
    }

    /** Every fourth operation is a push, the others pulls. */
    private void operate(RegistryHttp http, int repeat, int number, AtomicLong requests) {
        if (number % 4 == 3) {
            push(http, repeat, number, requests);
        } else {
            pull(http, number, requests);
        }
    }

    private void pull(RegistryHttp http, int number, AtomicLong requests) {
        Image image = pullImages.get(number % pullImages.size());
        requests.incrementAndGet();
        http.get("/v2/" + PULL_REPOSITORY + "/manifests/p" + number % pullImages.size());
        for (Blob blob : image.blobs()) {
            requests.incrementAndGet();
            http.get("/v2/" + PULL_REPOSITORY + "/blobs/" + blob.digest());
        }
    }

    private static void push(RegistryHttp http, int repeat, int number, AtomicLong requests) {
        Image image = Image.small(2_000_000_000L * (repeat + 1) + number, 1,
                SmallImages.LAYER_SIZE);
        String tag = "r" + repeat + "-" + number;
        // HEAD, POST and PUT for the config and the layer, then the manifest.
        requests.addAndGet(3L * image.blobs().size() + 1);
        http.pushImage(PUSH_REPOSITORY, tag, image);
    }
}
