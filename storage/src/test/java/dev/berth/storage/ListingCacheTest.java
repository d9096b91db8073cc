package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The cache against a source whose queries the test answers by hand, so a load can be held open
 * while writes invalidate around it.
 */
class ListingCacheTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String KEY = "team/app";

    private final List<Sinks.One<List<String>>> queries = new CopyOnWriteArrayList<>();
    private final List<Integer> limits = new CopyOnWriteArrayList<>();
    private final ListingCache<String> cache = new ListingCache<>(3, this::query);

    @Test
    void names_invalidatedWhileLoading_notInstalled() {
        CompletableFuture<SortedNames> racing = cache.names(KEY).toFuture();
        cache.invalidate(KEY);
        answer(0, "old");

        assertThat(racing.join().page(null, 10)).containsExactly("old");
        CompletableFuture<SortedNames> next = cache.names(KEY).toFuture();
        assertThat(queries).hasSize(2);
        answer(1, "new");
        assertThat(next.join().page(null, 10)).containsExactly("new");
    }

    @Test
    void names_readerAfterInvalidation_doesNotJoinEarlierLoad() {
        CompletableFuture<SortedNames> before = cache.names(KEY).toFuture();
        cache.invalidate(KEY);
        CompletableFuture<SortedNames> after = cache.names(KEY).toFuture();

        assertThat(queries).hasSize(2);
        answer(1, "new");
        answer(0, "old");

        assertThat(before.join().page(null, 10)).containsExactly("old");
        assertThat(after.join().page(null, 10)).containsExactly("new");
        assertPage("new");
        assertThat(queries).hasSize(2);
    }

    @Test
    void names_concurrentMisses_shareOneQuery() {
        CompletableFuture<SortedNames> first = cache.names(KEY).toFuture();
        CompletableFuture<SortedNames> second = cache.names(KEY).toFuture();

        answer(0, "a", "b");

        assertThat(second.join()).isSameAs(first.join());
        assertPage("a", "b");
        assertThat(queries).hasSize(1);
        assertThat(limits).containsExactly(4);
    }

    @Test
    void names_queryFails_nextReaderQueriesAgain() {
        CompletableFuture<SortedNames> failed = cache.names(KEY).toFuture();
        queries.get(0).tryEmitError(new IllegalStateException("disk gone")).orThrow();

        assertThat(failed).isCompletedExceptionally();
        CompletableFuture<SortedNames> retried = cache.names(KEY).toFuture();
        answer(1, "a");
        assertThat(retried.join().page(null, 10)).containsExactly("a");
    }

    @Test
    void added_nameAlreadyListed_keepsList() {
        load("a", "b");

        cache.added(KEY, "a");

        assertPage("a", "b");
        assertThat(queries).hasSize(1);
    }

    @Test
    void added_newName_dropsList() {
        load("a", "b");

        cache.added(KEY, "c");

        CompletableFuture<SortedNames> reloaded = cache.names(KEY).toFuture();
        answer(1, "a", "b", "c");
        assertThat(reloaded.join().page(null, 10)).containsExactly("a", "b", "c");
    }

    @Test
    void added_whileLoading_dropsTheLoad() {
        CompletableFuture<SortedNames> racing = cache.names(KEY).toFuture();

        cache.added(KEY, "c");
        answer(0, "a");

        assertThat(racing.join().page(null, 10)).containsExactly("a");
        cache.names(KEY).toFuture();
        assertThat(queries).hasSize(2);
    }

    @Test
    void added_listOverLimit_keepsMarker() {
        load("a", "b", "c", "d");

        cache.added(KEY, "e");

        assertThat(cache.names(KEY).block(TIMEOUT)).isSameAs(SortedNames.UNCACHEABLE);
        assertThat(queries).hasSize(1);
    }

    @Test
    void invalidate_listOverLimit_dropsMarker() {
        load("a", "b", "c", "d");

        cache.invalidate(KEY);

        CompletableFuture<SortedNames> reloaded = cache.names(KEY).toFuture();
        answer(1, "a", "b");
        assertThat(reloaded.join().page(null, 10)).containsExactly("a", "b");
    }

    @Test
    void names_maxZero_neverQueries() {
        ListingCache<String> off = new ListingCache<>(0, this::query);

        off.names(KEY).as(StepVerifier::create)
                .expectNext(SortedNames.UNCACHEABLE)
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(queries).isEmpty();
    }

    /** A query of the fake database: it answers when the test calls {@link #answer}. */
    private Flux<String> query(String key, int limit) {
        Sinks.One<List<String>> sink = Sinks.one();
        queries.add(sink);
        limits.add(limit);
        return sink.asMono().flatMapIterable(names -> names);
    }

    private void answer(int query, String... names) {
        queries.get(query).tryEmitValue(List.of(names)).orThrow();
    }

    /** Loads the list of {@link #KEY} with the first query. */
    private void load(String... names) {
        CompletableFuture<SortedNames> loaded = cache.names(KEY).toFuture();
        answer(0, names);
        loaded.join();
    }

    /** Expects {@code names} as the whole list, served without a new query. */
    private void assertPage(String... names) {
        int before = queries.size();

        cache.names(KEY).as(StepVerifier::create)
                .assertNext(list -> assertThat(list.page(null, 10)).containsExactly(names))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(queries).hasSize(before);
    }
}
