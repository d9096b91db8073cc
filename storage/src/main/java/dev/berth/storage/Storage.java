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

import dev.berth.storage.sqlite.ConnectionPool;
import dev.berth.storage.sqlite.SqliteConnectionFactory;

/**
 * Everything the server stores, opened over one data directory: the metadata store (SQLite,
 * migrated on open, behind the manifest cache) and the blob store.
 */
public final class Storage {
    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);
    private static final int READERS = 4;
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final AccessTokenStore accessTokens;
    private final Scheduler sqlite;
    private final Scheduler files;

    private Storage(MetadataStore metadata, BlobStore blobs, AccessTokenStore accessTokens, Scheduler sqlite,
            Scheduler files) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.accessTokens = accessTokens;
        this.sqlite = sqlite;
        this.files = files;
    }

    /**
     * Opens the storage under {@code dataDirectory}, creating it and migrating the database as
     * needed.
     *
     * @param settings cache sizes and scheduler bounds
     */
    public static Mono<Storage> open(Path dataDirectory, Settings settings, Clock clock) {
        return Mono.defer(() -> {
            createDirectories(dataDirectory);
            Scheduler sqlite = Schedulers.newBoundedElastic(READERS + 2, 100_000, "berth-sqlite");
            Scheduler files = Schedulers.newBoundedElastic(settings.fileThreads(), 100_000, "berth-files");
            ConnectionFactory factory = SqliteConnectionFactory.create(dataDirectory.resolve("berth.db"), sqlite);
            ConnectionPool writer = new ConnectionPool(factory, 1, ACQUIRE_TIMEOUT);
            ConnectionPool readers = new ConnectionPool(factory, READERS, ACQUIRE_TIMEOUT);
            SqliteMetadataStore database = new SqliteMetadataStore(writer, readers, clock);
            AccessTokenStore accessTokens = new SqliteAccessTokenStore(writer, readers);
            MetadataStore metadata = new CachingMetadataStore(database,
                    new CaffeineManifestCache(settings.manifestCacheBytes(), settings.tagCacheEntries()));
            BlobStore blobs = new FileBlobStore(dataDirectory, files);
            return database.migrate()
                    .doOnNext(version -> LOG.info("storage opened data={} schema={}", dataDirectory, version))
                    .thenReturn(new Storage(metadata, blobs, accessTokens, sqlite, files))
                    .onErrorResume(error -> database.close()
                            .onErrorResume(ignored -> Mono.empty())
                            .then(Mono.fromRunnable(() -> dispose(sqlite, files)))
                            .then(Mono.error(error)));
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

    /** Closes the database connections and stops the storage schedulers. */
    public Mono<Void> close() {
        return metadata.close().doFinally(signal -> dispose(sqlite, files));
    }

    private static void dispose(Scheduler sqlite, Scheduler files) {
        sqlite.dispose();
        files.dispose();
    }

    private static void createDirectories(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDirectory, e);
        }
    }

    /**
     * Storage tuning.
     *
     * @param manifestCacheBytes how many bytes of manifests the cache may hold
     * @param tagCacheEntries how many tags the cache may hold
     * @param fileThreads the most threads blob file work may use at once
     */
    public record Settings(long manifestCacheBytes, long tagCacheEntries, int fileThreads) {
        public static Settings defaults() {
            return new Settings(32L << 20, 100_000, 16);
        }
    }
}
