package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.berth.core.Digest;
import dev.berth.core.ManifestParser;
import dev.berth.core.MediaType;
import dev.berth.core.RepositoryName;
import dev.berth.storage.ListingCache.Catalog;
import dev.berth.storage.sqlite.ConnectionPool;
import dev.berth.storage.sqlite.SqliteConnectionFactory;

/**
 * Tag lists and the catalog served from memory over a real SQLite file: the same pages as the
 * database gives, and each write visible in the next listing.
 */
class ListingCacheIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final RepositoryName REPO = RepositoryName.of("team/app");
    private static final String TAG_FIRST = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    private static final String TAG_REST = TAG_FIRST + ".-";
    /** Each a {@code last} beside or between the pushed tags, and a few that no tag is near. */
    private static final List<String> EXTRA_LASTS = List.of("", "!", "-", ".", "/", "0", "A", "Z", "[", "_",
            "`", "a", "z", "{", "~", "zzzzzzzzzz", "caf\u00e9", "a\uD800", "a\u0000b");
    private static final int[] LIMITS = {0, 1, 7, 101, 1000, -1};

    @TempDir
    Path data;

    private Scheduler scheduler;
    private SqliteMetadataStore database;
    private final AtomicInteger tagQueries = new AtomicInteger();
    private final AtomicInteger catalogQueries = new AtomicInteger();
    private ListingCache<RepositoryName> tagLists;
    private ListingCache<Catalog> catalog;
    private MetadataStore store;

    @BeforeEach
    void setUp() {
        scheduler = Schedulers.newBoundedElastic(4, 1000, "test-sqlite");
        ConnectionFactory factory = SqliteConnectionFactory.create(data.resolve("berth.db"), scheduler);
        database = new SqliteMetadataStore(new ConnectionPool(factory, 1, TIMEOUT),
                new ConnectionPool(factory, 2, TIMEOUT), Clock.systemUTC(), digest -> true);
        database.migrate().block(TIMEOUT);
        store = caching(1000, 1000);
    }

    @AfterEach
    void tearDown() {
        database.close().block(TIMEOUT);
        scheduler.dispose();
    }

    @Test
    void listTags_manyLasts_samePagesAsSqlite() {
        List<String> tags = randomTags(new Random(7), 300);
        tags.addAll(List.of("a", "a-", "a-b", "a.b", "a_b", "a0", "aB", "ab", "A", "Z", "_", "9", "10", "1.0"));
        ManifestRecord image = image(REPO);
        tags.forEach(tag -> put(REPO, image, tag));

        for (String last : lasts(tags)) {
            for (int limit : LIMITS) {
                assertThat(store.listTags(REPO, last, limit).collectList().block(TIMEOUT))
                        .as("last=%s n=%d", last, limit)
                        .isEqualTo(database.listTags(REPO, last, limit).collectList().block(TIMEOUT));
            }
        }

        assertThat(tagQueries).hasValue(1);
        assertThat(tagLists.names(REPO).block(TIMEOUT).cacheable()).isTrue();
    }

    @Test
    void listRepositories_manyLasts_samePagesAsSqliteAndExistsAgrees() {
        List<String> names = new ArrayList<>(List.of("a", "a-b", "a--b", "a.b", "a_b", "a__b", "a/b", "a/b/c", "a0",
                "ab", "b", "0", "9z", "z/a", "zz"));
        Random random = new Random(11);
        for (int i = 0; i < 40; i++) {
            names.add(randomTag(random, "abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz")
                    + "/" + i);
        }
        names.forEach(name -> link(RepositoryName.of(name)));

        for (String last : lasts(names)) {
            for (int limit : LIMITS) {
                assertThat(store.listRepositories(last, limit).collectList().block(TIMEOUT))
                        .as("last=%s n=%d", last, limit)
                        .isEqualTo(database.listRepositories(last, limit).collectList().block(TIMEOUT));
            }
        }
        for (String name : List.of("a", "a/b/c", "zz", "a/c", "aa", "zzz")) {
            assertThat(store.existsRepository(RepositoryName.of(name)).block(TIMEOUT)).as(name)
                    .isEqualTo(names.contains(name));
        }

        assertThat(catalogQueries).hasValue(1);
        assertThat(catalog.names(Catalog.ALL).block(TIMEOUT).cacheable()).isTrue();
    }

    @Test
    void listTags_tagPushedThenDeleted_nextListingFollows() {
        ManifestRecord image = image(REPO);
        put(REPO, image, "v1");
        assertTags("v1");

        put(REPO, image, "v2");
        assertTags("v1", "v2");
        store.deleteTag(REPO, "v1").block(TIMEOUT);

        assertTags("v2");
    }

    @Test
    void listTags_pushesRacingReaders_everyCompletedPushListed() {
        ManifestRecord image = image(REPO);
        // Each reading hops to a parallel thread, so no reader loops on a SQLite worker.
        Disposable readers = Flux.range(0, 2)
                .flatMap(reader -> store.listTags(REPO, null, 1000)
                        .then()
                        .publishOn(Schedulers.parallel())
                        .repeat())
                .subscribe();
        try {
            for (int i = 0; i < 100; i++) {
                String tag = "t" + i;

                put(REPO, image, tag);

                assertThat(store.listTags(REPO, null, 1000).collectList().block(TIMEOUT)).as(tag).contains(tag);
                store.deleteTag(REPO, tag).block(TIMEOUT);
                assertThat(store.listTags(REPO, null, 1000).collectList().block(TIMEOUT)).as(tag).isEmpty();
            }
        } finally {
            readers.dispose();
        }
    }

    @Test
    void putManifest_listedTagMoved_keepsTheList() {
        put(REPO, image(REPO), "latest");
        assertTags("latest");

        put(REPO, index(REPO), "latest");

        assertTags("latest");
        assertThat(tagQueries).hasValue(1);
    }

    @Test
    void deleteManifest_tagged_itsTagsLeaveTheListing() {
        ManifestRecord image = image(REPO);
        put(REPO, image, "a");
        put(REPO, image, "b");
        put(REPO, index(REPO), "c");
        assertTags("a", "b", "c");

        store.deleteManifest(REPO, image.digest()).block(TIMEOUT);

        assertTags("c");
    }

    @Test
    void linkBlob_newRepository_listedAndExists() {
        link(REPO);
        RepositoryName other = RepositoryName.of("other/app");
        assertRepositories(REPO.value());
        store.existsRepository(other).as(StepVerifier::create).expectNext(false).verifyComplete();

        link(other);

        store.existsRepository(other).as(StepVerifier::create).expectNext(true).verifyComplete();
        assertRepositories(other.value(), REPO.value());
    }

    @Test
    void putManifest_newRepository_listed() {
        link(REPO);
        assertRepositories(REPO.value());
        RepositoryName other = RepositoryName.of("empty/index");

        put(other, index(other), null);

        assertRepositories(other.value(), REPO.value());
    }

    @Test
    void linkBlob_listedRepository_keepsTheCatalog() {
        link(REPO);
        assertRepositories(REPO.value());

        link(REPO);
        put(REPO, image(REPO), "v1");

        assertRepositories(REPO.value());
        assertThat(catalogQueries).hasValue(1);
    }

    @Test
    void listTags_moreTagsThanTheLimit_fromSqliteAndStillCorrect() {
        store = caching(5, 1000);
        ManifestRecord image = image(REPO);
        List<String> tags = List.of("h", "b", "f", "d", "a", "g", "c", "e");
        tags.forEach(tag -> put(REPO, image, tag));

        for (String last : lasts(tags)) {
            assertThat(store.listTags(REPO, last, 3).collectList().block(TIMEOUT)).as("last=%s", last)
                    .isEqualTo(database.listTags(REPO, last, 3).collectList().block(TIMEOUT));
        }
        put(REPO, image, "i");
        assertTags("a", "b", "c", "d", "e", "f", "g", "h", "i");
        assertThat(tagQueries).hasValue(1);
        store.deleteTag(REPO, "a").block(TIMEOUT);

        assertTags("b", "c", "d", "e", "f", "g", "h", "i");
        assertThat(tagQueries).hasValue(2);
    }

    @Test
    void listRepositories_moreThanTheLimit_fromSqliteAndStillCorrect() {
        store = caching(1000, 3);
        List<String> names = List.of("e", "a", "d", "b", "c");
        names.forEach(name -> link(RepositoryName.of(name)));

        assertRepositories("a", "b", "c", "d", "e");
        assertThat(store.listRepositories("b", 2).collectList().block(TIMEOUT)).containsExactly("c", "d");
        store.existsRepository(RepositoryName.of("c")).as(StepVerifier::create).expectNext(true).verifyComplete();
        store.existsRepository(RepositoryName.of("f")).as(StepVerifier::create).expectNext(false).verifyComplete();
        assertThat(catalogQueries).hasValue(1);
    }

    private MetadataStore caching(int maxTags, int maxRepositories) {
        tagLists = new ListingCache<>(maxTags, (repository, limit) -> {
            tagQueries.incrementAndGet();
            return database.listTags(repository, null, limit);
        });
        catalog = new ListingCache<>(maxRepositories, (all, limit) -> {
            catalogQueries.incrementAndGet();
            return database.listRepositories(null, limit);
        });
        return new CachingMetadataStore(database, new CaffeineManifestCache(1 << 20, 100), tagLists, catalog);
    }

    private void assertTags(String... tags) {
        store.listTags(REPO, null, 100).collectList().as(StepVerifier::create)
                .expectNext(List.of(tags))
                .verifyComplete();
    }

    private void assertRepositories(String... names) {
        store.listRepositories(null, 100).collectList().as(StepVerifier::create)
                .expectNext(List.of(names))
                .verifyComplete();
    }

    /** Every third name, each name with a character after it, and {@link #EXTRA_LASTS}. */
    private static List<String> lasts(List<String> names) {
        List<String> lasts = new ArrayList<>(EXTRA_LASTS);
        lasts.add(null);
        for (int i = 0; i < names.size(); i++) {
            if (i % 3 == 0) {
                lasts.add(names.get(i));
            }
            if (i % 3 == 1) {
                lasts.add(names.get(i) + (i % 2 == 0 ? "-" : "."));
            }
        }
        return lasts;
    }

    private static List<String> randomTags(Random random, int count) {
        List<String> tags = new ArrayList<>();
        while (tags.size() < count) {
            String tag = randomTag(random, TAG_FIRST, TAG_REST);
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
        return tags;
    }

    private static String randomTag(Random random, String first, String rest) {
        StringBuilder tag = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
        int length = random.nextInt(6);
        for (int i = 0; i < length; i++) {
            tag.append(rest.charAt(random.nextInt(rest.length())));
        }
        return tag.toString();
    }

    /** Links a config and a layer to {@code repository}, creating it, and returns an image over them. */
    private ManifestRecord image(RepositoryName repository) {
        link(repository);
        return record(GcFixture.imageJson("config", "layer"), MediaType.OCI_MANIFEST);
    }

    /** An empty index, which needs no blob, so pushing it is what creates a repository. */
    private static ManifestRecord index(RepositoryName repository) {
        return record("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":[],"
                + "\"annotations\":{\"for\":\"" + repository + "\"}}", MediaType.OCI_INDEX);
    }

    private static ManifestRecord record(String json, String mediaType) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return new ManifestRecord(Digest.sha256(bytes), mediaType, bytes);
    }

    private void link(RepositoryName repository) {
        store.linkBlob(repository, Digest.sha256("config"), 6)
                .then(store.linkBlob(repository, Digest.sha256("layer"), 5))
                .block(TIMEOUT);
    }

    private void put(RepositoryName repository, ManifestRecord record, String tag) {
        store.putManifest(repository, record, ManifestParser.parse(record.content(), record.mediaType()), tag)
                .block(TIMEOUT);
    }
}
