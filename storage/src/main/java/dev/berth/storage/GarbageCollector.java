package dev.berth.storage;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Online garbage collection: deletes what no tag reaches any more, and expires idle uploads. It
 * runs while the registry serves traffic, in the server or in another process over the same data
 * directory ({@code berth gc}), so every step coordinates through SQLite, never through memory.
 *
 * <h2>What a run keeps</h2>
 * Repositories are swept one at a time, each in one write transaction:
 * <ol>
 *   <li>{@linkplain RetentionRule Retention rules} delete tags.
 *   <li>Live manifests are marked: every tagged manifest; every manifest stored less than
 *       {@link GcSettings#manifestGrace()} ago; and, repeatedly, the child manifests of a live
 *       index, the referrers whose {@code subject} is a live manifest and, with
 *       {@link GcSettings#keepOrphanReferrers()}, the referrers whose subject is not in the
 *       repository at all. Every other manifest is deleted with its references (it has no tags).
 *   <li>A blob link is removed unless a surviving manifest of the repository references the blob
 *       or the link was written less than {@link GcSettings#blobGrace()} ago.
 * </ol>
 * Then blobs with no link in any repository, created more than the blob grace ago, are deleted
 * with their files, by the protocol below. A manifest push racing a sweep either commits first
 * (its manifest is then young, so live, and keeps its blobs' links) or after, when its existing
 * check fails with {@code MANIFEST_BLOB_UNKNOWN} if a link it needs is gone: one writer at a time
 * means nothing interleaves inside a transaction.
 *
 * <h2>Deleting blob files while blobs are pushed</h2>
 * <ol>
 *   <li><b>Claim.</b> One write transaction deletes the {@code blobs} rows of the blobs to go and
 *       writes a {@code blob_deletions} row for each. From its commit on, mounts and blob lookups
 *       no longer find the blob, and {@link MetadataStore#linkBlob linkBlob} of it fails with
 *       {@code BLOB_UPLOAD_INVALID}, telling the client to upload again (Docker and containerd
 *       retry such an error). Both changes are in one transaction, so no moment exists in which a
 *       push could link a blob whose file is doomed. The rows go before the file, so a crash
 *       never leaves a blob that is listed but has no bytes.
 *   <li><b>Delete.</b> A second write transaction reads which of the claimed digests still have a
 *       {@code blob_deletions} row, deletes their files (on the file scheduler), then those rows.
 *       Holding the write lock while the files go means no link is written meanwhile. Deleting
 *       only files whose row is still there means that two collectors (the server's and
 *       {@code berth gc}), or a collector and start-up recovery, never delete a file that a
 *       finished deletion has already handed back to new pushes.
 *   <li><b>Pushes in between.</b> An upload finishing while a claimed file still exists drops its
 *       own bytes as "already stored". If its link comes while the row exists, it fails and the
 *       client retries. If it comes after the delete step, the blob has no row any more, and
 *       {@code linkBlob} creates a row only after checking, under the write lock, that the file
 *       is there: it is not, so the link fails the same way. The retry finds no file and stores
 *       its bytes again.
 *   <li><b>Crashes.</b> Rows left in {@code blob_deletions} by a process that died between the
 *       two steps are finished by the next run and by start-up recovery.
 * </ol>
 *
 * <p>Limitation: run in another process, a collection cannot invalidate the server's manifest
 * cache or tag lists; the server may answer a tag deleted by retention, or a manifest deleted by
 * the sweep, from its cache, and keep listing such a tag, until the entry is evicted, a write to
 * the repository drops it, or the server restarts. Run in the server, the caches are invalidated
 * as each repository commits.
 *
 * <p>Limitation: blobs claimed by a process that died before its delete step cannot be pushed
 * again (the client is told to retry) until the next run or restart finishes their deletion.
 *
 * <p>Limitation: repositories left without tags, manifests or blobs are kept and still listed in
 * the catalog.
 */
public interface GarbageCollector {

    /**
     * Runs one collection. With {@code dryRun}, everything is computed inside a transaction that
     * is rolled back and no file is touched: the report shows what a run would delete now. Logs
     * one INFO line when done; a failure is left to the caller to log.
     *
     * <p>Limitation: a dry run holds the write lock for its whole computation (a real run only
     * for one repository or one batch of blobs at a time), so pushes wait for it; among 10,000
     * manifests that is well under a second.
     */
    Mono<GcReport> run(GcSettings settings, boolean dryRun);

    /**
     * Deletes the upload sessions that received nothing for longer than {@code idle}, with their
     * files. An upload receiving a request in this process right now is kept whatever its age.
     *
     * <p>Limitation: an upload whose next request arrives through another process in the very
     * moment it expires is told {@code BLOB_UPLOAD_UNKNOWN} and must start again.
     *
     * @return how many uploads expired
     */
    Mono<Integer> expireUploads(Duration idle);
}
