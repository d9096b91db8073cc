package dev.berth.storage;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiFunction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Whole name lists kept in memory, one per key: each repository's tags, or (under the one key
 * {@link Catalog#ALL}) every repository's name. A page is then a binary search, not a query. The
 * cache is never the source of truth: a list is read with one query on first use, and dropped by
 * every write that could change it.
 *
 * <p>Loads are guarded like {@link ManifestCache} entries. A load notes its key's stamp before it
 * queries and installs its list only if the key was not invalidated meanwhile; the check and the
 * install are one atomic step on the key, so a slow load never puts back a list a write has just
 * dropped. Readers that miss together share one load, but a reader arriving after an invalidation
 * starts its own, so no one who saw a write complete is handed a list read before it.
 *
 * <p>A list longer than {@code maxNames}, or one binary search cannot place as SQLite does, is
 * kept as {@link SortedNames#UNCACHEABLE}, which sends readers to the database. Adding a name
 * cannot make such a list short again, so only removals drop it.
 *
 * <p>Limitation: a write that adds a name reloads the whole list on the next read, so each push
 * of a new tag to a repository of 100,000 tags costs one query of 100,000 rows (readers missing
 * meanwhile share it). Each removal from a list over the limit makes the next reader read
 * {@code maxNames + 1} names again before it falls back to a page query.
 *
 * @param <K> what a list is kept for: a repository, or {@link Catalog}
 */
final class ListingCache<K> {
    /**
     * The longest a list is kept. Writes drop lists as they complete; this bounds the one case
     * they cannot cover: a write cancelled (its client gone) while its commit is still running
     * drops the list at the cancel, so a load in between may install a list without that write.
     */
    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** Stamps are per stripe of keys, so a write to one repository rarely spoils another's load. */
    private static final int STRIPES = 64;

    private final int maxNames;
    private final BiFunction<K, Integer, Flux<String>> source;
    private final Cache<K, SortedNames> lists;
    private final ConcurrentMap<K, Load> loads = new ConcurrentHashMap<>();
    private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);

    /**
     * A cache of lists of at most {@code maxNames} names each, and of at most {@code maxNames}
     * names in all; 0 turns it off.
     *
     * @param source the first {@code limit} names of a key's list, in SQLite's order
     */
    ListingCache(int maxNames, BiFunction<K, Integer, Flux<String>> source) {
        if (maxNames < 0 || maxNames == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxNames: " + maxNames + " (expected: 0 to "
                    + (Integer.MAX_VALUE - 1) + ")");
        }
        this.maxNames = maxNames;
        this.source = source;
        this.lists = Caffeine.newBuilder()
                .expireAfterWrite(MAX_AGE)
                .maximumWeight(maxNames)
                .weigher((K key, SortedNames names) -> names.weight())
                .build();
    }

    /** The whole list of {@code key}, from memory or from a load shared with concurrent readers. */
    Mono<SortedNames> names(K key) {
        if (maxNames == 0) {
            return Mono.just(SortedNames.UNCACHEABLE);
        }
        return Mono.defer(() -> {
            SortedNames cached = lists.getIfPresent(key);
            if (cached != null) {
                return Mono.just(cached);
            }
            return loads.computeIfAbsent(key, Load::new).names;
        });
    }

    /** The list of {@code key} when it is in memory now, or {@code null}; never starts a load. */
    SortedNames cached(K key) {
        return maxNames == 0 ? null : lists.getIfPresent(key);
    }

    /**
     * Drops the list of {@code key}: call it after a write that may have removed a name from it,
     * before the write's outcome reaches its caller.
     */
    void invalidate(K key) {
        // The stamp moves before the list goes: a load that checks the stamp before this sees the
        // old one and installs, but its install then precedes the removal below, which undoes it.
        stamps.incrementAndGet(stripe(key));
        lists.invalidate(key);
        loads.remove(key);
    }

    /**
     * Notes a write that may have added {@code name} to the list of {@code key}. The list stays
     * when it already holds the name (a retag, a push to a listed repository) or is the marker.
     */
    void added(K key, String name) {
        SortedNames cached = lists.policy().getIfPresentQuietly(key);
        if (cached == null || cached.cacheable() && !cached.contains(name)) {
            invalidate(key);
        }
    }

    private void install(K key, SortedNames names, long stamp) {
        lists.asMap().compute(key, (same, old) -> stamps.get(stripe(same)) == stamp ? names : old);
    }

    private static int stripe(Object key) {
        int hash = key.hashCode();
        return (hash ^ hash >>> 16) & (STRIPES - 1);
    }

    /** The one key of the catalog's list. */
    enum Catalog {
        ALL
    }

    /** One query in flight for a key, with the stamp it will install under. */
    private final class Load {
        private final Mono<SortedNames> names;

        Load(K key) {
            long stamp = stamps.get(stripe(key));
            this.names = Flux.defer(() -> source.apply(key, maxNames + 1))
                    .collectList()
                    .map(found -> SortedNames.of(found, maxNames))
                    .doOnNext(found -> install(key, found, stamp))
                    .doFinally(signal -> loads.remove(key, this))
                    .cache();
        }
    }
}
