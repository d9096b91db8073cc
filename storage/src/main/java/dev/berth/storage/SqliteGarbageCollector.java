package dev.berth.storage;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

import dev.berth.core.Digest;
import dev.berth.core.RepositoryName;
import dev.berth.storage.sqlite.ConnectionPool;

/**
 * Garbage collection over the SQLite metadata and the file blob store. A real run sweeps each
 * repository in its own write transaction, so pushes wait at most for one repository; a dry run
 * does every step in one transaction that is rolled back, so it counts exactly what a run would
 * delete, holding the write lock for the whole computation.
 */
final class SqliteGarbageCollector implements GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteGarbageCollector.class);

    private final ConnectionPool writer;
    private final ConnectionPool readers;
    private final BlobDeletions deletions;
    private final ManifestCache cache;
    private final ListingCache<RepositoryName> tagLists;
    private final UploadExpiry uploads;
    private final Clock clock;

    SqliteGarbageCollector(ConnectionPool writer, ConnectionPool readers, FileBlobStore blobs,
            ManifestCache cache, ListingCache<RepositoryName> tagLists, Clock clock) {
        this.writer = writer;
        this.readers = readers;
        this.deletions = new BlobDeletions(writer, blobs);
        this.cache = cache;
        this.tagLists = tagLists;
        this.uploads = new UploadExpiry(writer, readers, blobs, clock);
        this.clock = clock;
    }

    @Override
    public Mono<GcReport> run(GcSettings settings, boolean dryRun) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            RepositorySweep.Plan plan = plan(settings, clock.millis());
            Tally tally = new Tally();
            Mono<Void> work = dryRun ? rehearse(plan, tally) : collect(plan, tally);
            return work.then(Mono.fromCallable(() -> tally.report(dryRun, since(started))))
                    .doOnNext(SqliteGarbageCollector::logSummary);
        });
    }

    @Override
    public Mono<Integer> expireUploads(Duration idle) {
        return uploads.expire(idle);
    }

    private static RepositorySweep.Plan plan(GcSettings settings, long now) {
        return new RepositorySweep.Plan(now, now - settings.manifestGrace().toMillis(),
                now - settings.blobGrace().toMillis(), settings.keepOrphanReferrers(),
                new Retention(settings.retention()));
    }

    /** The real run: leftovers first, then each repository in its own transaction, then blobs. */
    private Mono<Void> collect(RepositorySweep.Plan plan, Tally tally) {
        return deletions.finishPending()
                // Collected first, so the read connection goes back before the sweeps start.
                .thenMany(readers.withConnection(SqliteGarbageCollector::repositories).collectList())
                .concatMapIterable(repositories -> repositories)
                .concatMap(repository -> sweepCommitted(repository, plan))
                .doOnNext(this::invalidate)
                .doOnNext(tally::add)
                .then(sweepBlobs(plan, tally));
    }

    /** One repository in its own write transaction; the result is emitted once committed. */
    private Mono<RepositorySweep.Result> sweepCommitted(RepositorySweep.Repository repository,
            RepositorySweep.Plan plan) {
        return writer.inTransaction(connection -> RepositorySweep.sweep(connection, repository, plan))
                .single()
                .elapsed()
                .doOnNext(SqliteGarbageCollector::logSwept)
                .map(Tuple2::getT2);
    }

    /** Claims a batch, deletes it, and goes on while batches come back full. */
    private Mono<Void> sweepBlobs(RepositorySweep.Plan plan, Tally tally) {
        return writer.inTransaction(connection -> BlobDeletions.claim(connection, plan.blobCutoff(),
                        plan.now(), BlobDeletions.BATCH))
                .single()
                .flatMap(claimed -> deletions.delete(digests(claimed))
                        .doOnSuccess(ignored -> tally.addBlobs(claimed))
                        .then(claimed.size() < BlobDeletions.BATCH ? Mono.empty()
                                : sweepBlobs(plan, tally)));
    }

    /** The dry run: the same statements in one transaction, rolled back; no file is touched. */
    private Mono<Void> rehearse(RepositorySweep.Plan plan, Tally tally) {
        return writer.inRolledBackTransaction(connection -> repositories(connection)
                        .collectList()
                        .flatMapMany(Flux::fromIterable)
                        .concatMap(repository -> RepositorySweep.sweep(connection, repository, plan))
                        .doOnNext(tally::add)
                        .then(claimAll(connection, plan, tally)))
                .then();
    }

    private Mono<Void> claimAll(Connection connection, RepositorySweep.Plan plan, Tally tally) {
        return BlobDeletions.claim(connection, plan.blobCutoff(), plan.now(), BlobDeletions.BATCH)
                .doOnNext(tally::addBlobs)
                .flatMap(claimed -> claimed.size() < BlobDeletions.BATCH ? Mono.empty()
                        : claimAll(connection, plan, tally));
    }

    private static Flux<RepositorySweep.Repository> repositories(Connection connection) {
        return Sql.query(connection, "SELECT id, name FROM repositories ORDER BY name",
                SqliteGarbageCollector::repository);
    }

    private static RepositorySweep.Repository repository(Row row) {
        return new RepositorySweep.Repository(row.get(0, Long.class),
                RepositoryName.of(row.get(1, String.class)));
    }

    private static List<Digest> digests(List<BlobDeletions.Claimed> claimed) {
        return claimed.stream().map(BlobDeletions.Claimed::digest).toList();
    }

    /**
     * Runs once the repository's transaction committed, so no reader caches the old state again.
     * A sweep never removes a repository, so the catalog stays.
     */
    private void invalidate(RepositorySweep.Result result) {
        if (result.changedTags()) {
            cache.invalidateTags(result.repository());
        }
        // The sweep keeps tagged manifests, but a deleted manifest would take its tags with it
        // (ON DELETE CASCADE), so the tag list does not rely on that.
        if (result.changedTags() || !result.manifests().isEmpty()) {
            tagLists.invalidate(result.repository());
        }
        for (Digest digest : result.manifests()) {
            cache.invalidateManifest(result.repository(), digest);
        }
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }

    private static void logSwept(Tuple2<Long, RepositorySweep.Result> timed) {
        RepositorySweep.Result result = timed.getT2();
        LOG.debug("gc swept repo={} tags={} manifests={} links={} ms={}", result.repository(),
                result.tags().size(), result.manifests().size(), result.links().size(), timed.getT1());
    }

    private static void logSummary(GcReport report) {
        LOG.info("gc finished dryRun={} tags={} manifests={} links={} blobs={} bytes={} ms={}",
                report.dryRun(), report.tagsDeleted(), report.manifestsDeleted(), report.linksRemoved(),
                report.blobsDeleted(), report.bytesFreed(), report.duration().toMillis());
    }

    /** Counts and the first items of each kind, added to as repositories and batches finish. */
    private static final class Tally {
        private final List<String> tags = new ArrayList<>();
        private final List<String> manifests = new ArrayList<>();
        private final List<String> links = new ArrayList<>();
        private final List<Digest> blobs = new ArrayList<>();
        private int tagCount;
        private int manifestCount;
        private int linkCount;
        private int blobCount;
        private long bytes;

        synchronized void add(RepositorySweep.Result result) {
            String repository = result.repository().value();
            tagCount += result.tags().size();
            manifestCount += result.manifests().size();
            linkCount += result.links().size();
            result.tags().forEach(tag -> bounded(tags, repository + ":" + tag));
            result.manifests().forEach(digest -> bounded(manifests, repository + "@" + digest));
            result.links().forEach(digest -> bounded(links, repository + "@" + digest));
        }

        synchronized void addBlobs(List<BlobDeletions.Claimed> claimed) {
            for (BlobDeletions.Claimed blob : claimed) {
                blobCount++;
                bytes += blob.size();
                bounded(blobs, blob.digest());
            }
        }

        synchronized GcReport report(boolean dryRun, Duration duration) {
            return new GcReport(dryRun, tagCount, manifestCount, linkCount, blobCount, bytes,
                    duration, tags, manifests, links, blobs);
        }

        private static <T> void bounded(List<T> list, T item) {
            if (list.size() < GcReport.LIST_LIMIT) {
                list.add(item);
            }
        }
    }
}
