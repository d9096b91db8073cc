package dev.berth.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Workload 6: listings, each walked by one client again and again for a fixed time: the tags
 * of one repository with many tags and the catalog, both asked in pages ({@code n=}) and
 * followed through their {@code Link} headers to the end; and the referrers of one digest
 * among many manifests. Every walk is checked to list what was seeded.
 *
 * <p>Distribution 2.8 ignores {@code n} on tag lists (one answer holds every tag) and has no
 * referrers API; its referrers figures are marked as not applicable.
 */
final class Listings implements Workload {
    static final String TITLE = "6. listings";
    static final String TAGS_REPOSITORY = "bench/tags";
    static final String CATALOG_PREFIX = "bench/catalog/r";
    static final String REFERRERS_REPOSITORY = "bench/referrers";
    static final int REFERRERS_PER_SUBJECT = 10;

    private static final Duration SEED_LIMIT = Duration.ofMinutes(10);
    private static final long MAX_WALKS = 1_000_000;

    private final BenchSettings settings;
    private final Image image = Image.small(7, 0, 0);

    Listings(BenchSettings settings) {
        this.settings = settings;
    }

    @Override
    public String title() {
        return TITLE;
    }

    @Override
    public void seed(Target target) {
        RegistryHttp http = target.http();
        http.pushImage(TAGS_REPOSITORY, "t00000", image);
        Parallel.run(settings.workers(), settings.tags(), SEED_LIMIT,
                number -> http.putManifest(TAGS_REPOSITORY, tag(number), image.manifest()))
                .requireNoFailure("seeding " + settings.tags() + " tags");
        Parallel.run(settings.workers(), settings.repositories(), SEED_LIMIT,
                number -> seedRepository(http, number))
                .requireNoFailure("seeding " + settings.repositories() + " repositories");
        if (target.kind() == Target.Kind.BERTH) {
            http.pushBlob(REFERRERS_REPOSITORY, Image.EMPTY);
            Parallel.run(settings.workers(), settings.referrerManifests(), SEED_LIMIT,
                    number -> seedReferrer(http, number))
                    .requireNoFailure("seeding " + settings.referrerManifests() + " referrers");
        }
    }

    @Override
    public void run(Target target, int repeat, Recorder recorder) {
        RegistryHttp http = target.http();
        String tagsLoad = String.format(Locale.ROOT, "tags list (%,d tags, n=%d)", settings.tags(),
                settings.pageSize());
        walks(recorder, tagsLoad, () -> walkTags(http));
        String catalogLoad = String.format(Locale.ROOT, "catalog (%,d repositories, n=%d)",
                settings.repositories(), settings.pageSize());
        walks(recorder, catalogLoad, () -> walkCatalog(http));

        String referrersLoad = String.format(Locale.ROOT,
                "referrers of 1 digest among %,d manifests", settings.referrerManifests());
        if (target.kind() == Target.Kind.BERTH) {
            walks(recorder, referrersLoad, () -> listReferrers(http));
        } else {
            String reason = "no referrers API in Distribution 2.8";
            recorder.results().notApplicable(walkMetric(referrersLoad), target.kind(), reason);
            recorder.results().notApplicable(rateMetric(referrersLoad), target.kind(), reason);
        }
    }

    /** Walks again and again for the listing time; records requests/s and ms per walk. */
    private void walks(Recorder recorder, String load, Walk walk) {
        List<Double> millis = new ArrayList<>();
        long requests = 0;
        long start = System.nanoTime();
        long end = start + settings.listingLoad().toNanos();
        while ((System.nanoTime() < end || millis.isEmpty()) && millis.size() < MAX_WALKS) {
            long walkStart = System.nanoTime();
            requests += walk.run();
            millis.add((System.nanoTime() - walkStart) / 1e6);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        recorder.add(rateMetric(load), requests / seconds);
        recorder.add(walkMetric(load), Results.median(millis));
    }

    private static Metric rateMetric(String load) {
        return Metric.higher(TITLE, load + ": requests/s", "req/s");
    }

    private static Metric walkMetric(String load) {
        return Metric.lower(TITLE, load + ": full listing, median", "ms");
    }

    /** A listing that needs more pages than this is following a Link chain that never ends. */
    private static final int MAX_PAGES = 10_000;

    private int walkTags(RegistryHttp http) {
        Optional<String> next = Optional.of("/v2/" + TAGS_REPOSITORY + "/tags/list?n="
                + settings.pageSize());
        int requests = 0;
        int tags = 0;
        while (next.isPresent()) {
            RegistryHttp.Page page = http.page(next.get());
            tags += page.body().path("tags").size();
            next = page.next();
            requests++;
            check(requests <= MAX_PAGES, "pages requested: " + requests + " (expected: the Link chain to end)");
        }
        check(tags == settings.tags(), "tags listed: " + tags + " (expected: " + settings.tags()
                + ")");
        return requests;
    }

    private int walkCatalog(RegistryHttp http) {
        Optional<String> next = Optional.of("/v2/_catalog?n=" + settings.pageSize());
        int requests = 0;
        int seeded = 0;
        while (next.isPresent()) {
            RegistryHttp.Page page = http.page(next.get());
            for (JsonNode name : page.body().path("repositories")) {
                seeded += name.asText().startsWith(CATALOG_PREFIX) ? 1 : 0;
            }
            next = page.next();
            requests++;
            check(requests <= MAX_PAGES, "pages requested: " + requests + " (expected: the Link chain to end)");
        }
        check(seeded == settings.repositories(), "seeded repositories listed: " + seeded
                + " (expected: " + settings.repositories() + ")");
        return requests;
    }

    private int listReferrers(RegistryHttp http) {
        RegistryHttp.Page page = http.page("/v2/" + REFERRERS_REPOSITORY + "/referrers/"
                + subject(0));
        int listed = page.body().path("manifests").size();
        check(listed == REFERRERS_PER_SUBJECT, "referrers listed: " + listed + " (expected: "
                + REFERRERS_PER_SUBJECT + ")");
        return 1;
    }

    private void seedRepository(RegistryHttp http, int number) {
        String repository = CATALOG_PREFIX + String.format("%05d", number);
        http.mountBlob(repository, image.config().digest(), TAGS_REPOSITORY);
        http.putManifest(repository, "v1", image.manifest());
    }

    private void seedReferrer(RegistryHttp http, int number) {
        // Ten referrers per subject; subject 0 is the one listed.
        String subject = subject(number / REFERRERS_PER_SUBJECT);
        Blob manifest = Image.referrer(subject, number);
        http.putManifest(REFERRERS_REPOSITORY, manifest.digest(), manifest);
    }

    private static String subject(int number) {
        return Blob.digest(("subject " + number).getBytes(StandardCharsets.UTF_8));
    }

    private static String tag(int number) {
        return String.format("t%05d", number);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /** One full listing; returns the number of requests it took. */
    @FunctionalInterface
    private interface Walk {
        int run();
    }
}
