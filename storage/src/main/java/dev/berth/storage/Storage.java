package dev.berth.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.r2dbc.spi.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.berth.core.RepositoryName;
import dev.berth.storage.ListingCache.Catalog;
import dev.berth.storage.sqlite.ConnectionPool;
import dev.berth.storage.sqlite.SqliteConnectionFactory;

/**
 * Everything the server stores, opened over one data directory: the metadata store (SQLite,
 * migrated on open, behind the manifest and listing caches), the blob store and the garbage
 * collector.
 */
public final class Storage {
    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);
    private static final int READERS = 4;
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final AccessTokenStore accessTokens;
    private final GarbageCollector garbageCollector;
    private final Resources resources;

    private Storage(MetadataStore metadata, BlobStore blobs, AccessTokenStore accessTokens,
            GarbageCollector garbageCollector, Resources resources) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.accessTokens = accessTokens;
        this.garbageCollector = garbageCollector;
        this.resources = resources;
    }

    /**
     * Opens the storage under {@code dataDirectory}, creating it and migrating the database as
     * needed. The first process to open a data directory takes its lock and runs start-up
     * recovery (see {@link StartupRecovery}) before this completes; a process opening it while
     * another holds the lock, such as {@code berth token} beside a running server, skips recovery.
     *
     * @param settings cache sizes and scheduler bounds
     */
    public static Mono<Storage> open(Path dataDirectory, Settings settings, Clock clock) {
        return Mono.defer(() -> {
            createDirectories(dataDirectory);
            DataDirectoryLock lock = lock(dataDirectory);
            Scheduler sqlite = Schedulers.newBoundedElastic(READERS + 2, 100_000, "berth-sqlite");
            Scheduler files = Schedulers.newBoundedElastic(settings.fileThreads(), 100_000, "berth-files");
            // Hashing is CPU work that never waits, so one thread per CPU is enough.
            Scheduler hashing = Schedulers.newParallel("berth-hash", Runtime.getRuntime().availableProcessors(), true);
            Resources resources = new Resources(sqlite, files, hashing, lock);
            // Anything below that throws while wiring up must not keep the lock or the threads.
            try {
                ConnectionFactory factory = SqliteConnectionFactory.create(dataDirectory.resolve("berth.db"), sqlite);
                ConnectionPool writer = new ConnectionPool(factory, 1, ACQUIRE_TIMEOUT);
                ConnectionPool readers = new ConnectionPool(factory, READERS, ACQUIRE_TIMEOUT);
                FileBlobStore blobs = new FileBlobStore(dataDirectory, files, hashing);
                SqliteMetadataStore database = new SqliteMetadataStore(writer, readers, clock, blobs::isStored);
                AccessTokenStore accessTokens = new SqliteAccessTokenStore(writer, readers);
                ManifestCache cache = new CaffeineManifestCache(settings.manifestCacheBytes(),
                        settings.tagCacheEntries());
                ListingCache<RepositoryName> tagLists = new ListingCache<>(settings.tagListCacheNames(),
                        (repository, limit) -> database.listTags(repository, null, limit));
                ListingCache<Catalog> catalog = new ListingCache<>(settings.catalogCacheNames(),
                        (all, limit) -> database.listRepositories(null, limit));
                MetadataStore metadata = new CachingMetadataStore(database, cache, tagLists, catalog);
                GarbageCollector collector = new SqliteGarbageCollector(writer, readers, blobs, cache,
                        tagLists, clock);
                return database.migrate()
                        .doOnNext(version -> LOG.info("storage opened data={} schema={}", dataDirectory, version))
                        .then(lock == null ? skipRecovery(dataDirectory)
                                : new StartupRecovery(writer, readers, blobs).run().then())
                        .thenReturn(new Storage(metadata, blobs, accessTokens, collector, resources))
                        .onErrorResume(error -> database.close()
                                .onErrorResume(ignored -> Mono.empty())
                                .then(Mono.fromRunnable(resources::dispose))
                                .then(Mono.error(error)));
            } catch (RuntimeException e) {
                resources.dispose();
                throw e;
            }
        });
    }

    public MetadataStore metadata() {
        return metadata;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public AccessTokenStore accessTokens() {
        return accessTokens;
    }

    /**
     * Whether this process holds the data directory's lock: true for the first process to open
     * it (the server), false for a command opened beside a running server.
     */
    public boolean ownsDataDirectory() {
        return resources.lock() != null;
    }

    /** Garbage collection and upload expiry over this storage. */
    public GarbageCollector garbageCollector() {
        return garbageCollector;
    }

    /**
     * Closes the database connections, releases the data directory's lock and stops the storage
     * schedulers. The lock is released before the outcome reaches the caller, so a storage opened
     * next over the same directory takes it.
     */
    public Mono<Void> close() {
        return metadata.close()
                .doOnTerminate(resources::releaseLock)
                .doFinally(signal -> resources.dispose());
    }

    private static Mono<Void> skipRecovery(Path dataDirectory) {
        return Mono.fromRunnable(() -> LOG.info("start-up recovery skipped, another process has the data"
                + " directory open data={}", dataDirectory));
    }

    private static void createDirectories(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDirectory, e);
        }
    }

    private static DataDirectoryLock lock(Path dataDirectory) {
        try {
            return DataDirectoryLock.tryAcquire(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lock file in " + dataDirectory, e);
        }
    }

    /** What closing the storage releases, besides the connections. */
    private record Resources(Scheduler sqlite, Scheduler files, Scheduler hashing, DataDirectoryLock lock) {
        void releaseLock() {
            if (lock != null) {
                lock.close();
            }
        }

        void dispose() {
            releaseLock();
            sqlite.dispose();
            files.dispose();
            hashing.dispose();
        }
    }

    /**
     * Storage tuning.
     *
     * @param manifestCacheBytes how many bytes of manifests the cache may hold
     * @param tagCacheEntries how many tags the cache may hold
     * @param tagListCacheNames how many tag names the tag lists may hold in all (each takes some
     *        60 to 100 bytes); a repository with more tags is listed by the database; 0 turns
     *        the tag lists off
     * @param catalogCacheNames how many repository names the catalog may hold; with more, the
     *        catalog and existence checks are answered by the database; 0 turns it off
     * @param fileThreads the most threads blob file work may use at once
     */
    public record Settings(long manifestCacheBytes, long tagCacheEntries, int tagListCacheNames,
            int catalogCacheNames, int fileThreads) {
        public static Settings defaults() {
            return new Settings(32L << 20, 100_000, 200_000, 100_000, 16);
        }
    }
}
