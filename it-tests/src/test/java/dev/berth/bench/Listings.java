package dev.berth.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Workload 6: listings, each walked by one client again and again for a fixed time: the tags
 * of one repository with many tags and the catalog, both asked in pages ({@code n=}) and
 * followed through their {@code Link} headers to the end; and the referrers of one digest
 * among many manifests. Every walk is checked to list what was seeded.
 *
 * <p>Then one page of each, the {@code n} names after a seeded name in the middle, under wrk
 * at 64 connections for as long as each manifest load; nginx serves its 1 KiB file to the
 * same load as the ceiling for both rows. Each page is checked once per run to list the names
 * that follow {@code last}.
 *
 * <p>Distribution 2.8 ignores {@code n} and {@code last} on tag lists (one answer holds every
 * tag), so its tags-page figures are for that whole answer; it has no referrers API, so its
 * referrers figures are marked as not applicable.
 */
final class Listings implements Workload {
    static final String TITLE = "6. listings";
    static final String TAGS_REPOSITORY = "bench/tags";
    static final String CATALOG_PREFIX = "bench/catalog/r";
    static final String REFERRERS_REPOSITORY = "bench/referrers";
    static final int REFERRERS_PER_SUBJECT = 10;
    static final int PAGE_CONNECTIONS = 64;

    private static final Duration SEED_LIMIT = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long MAX_WALKS = 1_000_000;
    /** A listing that needs more pages than this is following a Link chain that never ends. */
    private static final int MAX_PAGES = 10_000;

    private final BenchSettings settings;
    private final Wrk wrk;
    private final Image image = Image.small(7, 0, 0);
    private final List<PageLoad> pageLoads;

    Listings(BenchSettings settings, Wrk wrk) {
        this.settings = settings;
        this.wrk = wrk;
        this.pageLoads = List.of(
                pageLoad("tags", "/v2/" + TAGS_REPOSITORY + "/tags/list", "tags",
                        settings.tags(), Listings::tag, false),
                pageLoad("catalog", "/v2/_catalog", "repositories", settings.repositories(),
                        Listings::repository, true));
    }

    /** The tags page, then the catalog page. */
    List<PageLoad> pageLoads() {
        return pageLoads;
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
    public void warmUp(Target target) {
        if (!settings.warmUp().isZero()) {
            pageLoads.forEach(load -> get(target, load.path(), settings.warmUp()));
        }
    }

    @Override
    public void run(Target target, int repeat, Recorder recorder) {
        if (!target.isRegistry()) {
            // One load of the 1 KiB file is the ceiling of both page rows.
            LoadResult ceiling = get(target, ManifestLoad.SMALL_FILE, settings.manifestLoad());
            pageLoads.forEach(load -> recorder.addLoad(TITLE, load.label(), ceiling));
            return;
        }
        runWalks(target, recorder);
        for (PageLoad load : pageLoads) {
            if (repeat == 0) {
                checkPage(target, load);
            }
            recorder.addLoad(TITLE, load.label(), get(target, load.path(),
                    settings.manifestLoad()));
        }
    }

    private void runWalks(Target target, Recorder recorder) {
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
            checkPages(requests);
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
            checkPages(requests);
        }
        check(seeded == settings.repositories(), "seeded repositories listed: " + seeded
                + " (expected: " + settings.repositories() + ")");
        return requests;
    }

    private static void checkPages(int requests) {
        check(requests <= MAX_PAGES, "pages requested: " + requests
                + " (expected: the Link chain to end)");
    }

    /**
     * The page of {@code n} names after the one in the middle of {@code count} seeded names, so
     * the page lies among them; {@code pagedByDistribution} says whether Distribution 2.8
     * honours {@code n} and {@code last} there.
     */
    private PageLoad pageLoad(String listing, String path, String field, int count,
            IntFunction<String> name, boolean pagedByDistribution) {
        int size = settings.pageSize();
        if (count <= size) {
            throw new IllegalArgumentException(listing + ": " + count + " names (expected: at "
                    + "least n + 1 = " + (size + 1) + ", so a full page follows a seeded one)");
        }
        int middle = (count - size) / 2;
        String last = name.apply(middle);
        String label = String.format(Locale.ROOT, "%s page (n=%d, last=%s), %d conns", listing,
                size, last, PAGE_CONNECTIONS);
        List<String> expected = IntStream.rangeClosed(middle + 1, middle + size)
                .mapToObj(name)
                .toList();
        return new PageLoad(label, path + "?n=" + size + "&last=" + last, field, expected,
                pagedByDistribution, count);
    }

    /** Fails unless one GET of the page lists what it should, before the load measures it. */
    private static void checkPage(Target target, PageLoad load) {
        List<String> listed = new ArrayList<>();
        target.http().page(load.path()).body().path(load.field())
                .forEach(name -> listed.add(name.asText()));

        if (target.kind() == Target.Kind.DISTRIBUTION && !load.pagedByDistribution()) {
            check(listed.size() == load.seeded(), "GET " + load.path() + " on Distribution "
                    + "listed " + listed.size() + " names (expected: all " + load.seeded() + ")");
        } else {
            check(listed.equals(load.expected()), "GET " + load.path() + " on "
                    + target.kind().label() + " listed " + listed.size() + " names from "
                    + (listed.isEmpty() ? "none" : listed.get(0)) + " (expected: "
                    + load.expected().size() + " from " + load.expected().get(0) + ")");
        }
    }

    private LoadResult get(Target target, String path, Duration duration) {
        return wrk.get(target.process().baseUri().resolve(path), PAGE_CONNECTIONS, duration,
                TIMEOUT, Map.of());
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
        String repository = repository(number);
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
        return String.format(Locale.ROOT, "t%05d", number);
    }

    private static String repository(int number) {
        return CATALOG_PREFIX + String.format(Locale.ROOT, "%05d", number);
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

    /**
     * One page under load: its label in the report, its path, the JSON array that lists its
     * names, the names it must list, whether Distribution 2.8 pages it, and how many names were
     * seeded (what Distribution lists when it does not page).
     */
    record PageLoad(String label, String path, String field, List<String> expected,
            boolean pagedByDistribution, int seeded) {
    }
}
