package dev.berth.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.berth.core.Digest;
import dev.berth.storage.sqlite.ConnectionPool;

/**
 * The two steps that delete blob files: claim (rows to {@code blob_deletions}) and delete (files,
 * then rows, under the write lock). {@link GarbageCollector} describes the protocol and why it is
 * ordered so; start-up recovery uses the delete step to finish what a crash left.
 */
final class BlobDeletions {
    /** How many blobs one claim or delete transaction handles. */
    static final int BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(BlobDeletions.class);
    private static final String CLAIM = "DELETE FROM blobs WHERE digest IN (SELECT b.digest FROM blobs b"
            + " WHERE b.created_at < ? AND NOT EXISTS (SELECT 1 FROM repository_blobs rb"
            + " WHERE rb.digest = b.digest) LIMIT ?) RETURNING digest, size";

    private final ConnectionPool writer;
    private final FileBlobStore blobs;

    BlobDeletions(ConnectionPool writer, FileBlobStore blobs) {
        this.writer = writer;
        this.blobs = blobs;
    }

    /**
     * Claims up to {@code limit} blobs that have no link and were created before {@code cutoff}:
     * deletes their rows and records them in {@code blob_deletions}, on a connection inside a
     * write transaction.
     */
    static Mono<List<Claimed>> claim(Connection connection, long cutoff, long now, int limit) {
        return Sql.query(connection, CLAIM, BlobDeletions::claimed, cutoff, limit)
                .collectList()
                .flatMap(claimed -> record(connection, claimed, now).thenReturn(claimed));
    }

    private static Claimed claimed(Row row) {
        return new Claimed(Digest.parse(row.get(0, String.class)), row.get(1, Long.class));
    }

    private static Mono<Long> record(Connection connection, List<Claimed> claimed, long now) {
        List<Object[]> rows = new ArrayList<>(claimed.size());
        for (Claimed blob : claimed) {
            rows.add(new Object[] {blob.digest().toString(), now});
        }
        return Sql.updateEach(connection, "INSERT INTO blob_deletions (digest, started_at)"
                + " VALUES (?, ?) ON CONFLICT (digest) DO NOTHING", rows);
    }

    /**
     * The delete step for {@code digests}: in one write transaction, the files of those still in
     * {@code blob_deletions} are deleted, then their rows.
     *
     * @return how many of them were still to delete
     */
    Mono<Integer> delete(List<Digest> digests) {
        if (digests.isEmpty()) {
            return Mono.just(0);
        }
        Object[] args = digests.stream().map(Digest::toString).toArray();
        String pending = "SELECT digest FROM blob_deletions WHERE digest IN ("
                + Sql.placeholders(args.length) + ")";
        return writer.inTransaction(connection -> Sql.query(connection, pending,
                                BlobDeletions::digest, args)
                        .collectList()
                        .flatMap(still -> deleteFiles(still)
                                .then(deleteRows(connection, still))
                                .thenReturn(still.size())))
                .single();
    }

    /** Finishes every deletion left in {@code blob_deletions}, batch by batch; emits how many. */
    Mono<Integer> finishPending() {
        return writer.withConnection(connection -> Sql.query(connection,
                        "SELECT digest FROM blob_deletions ORDER BY digest LIMIT ?",
                        BlobDeletions::digest, BATCH))
                .collectList()
                .flatMap(pending -> delete(pending)
                        .flatMap(done -> pending.size() < BATCH ? Mono.just(done)
                                : finishPending().map(more -> done + more)));
    }

    private static Digest digest(Row row) {
        return Digest.parse(row.get(0, String.class));
    }

    private Mono<Void> deleteFiles(List<Digest> digests) {
        return Mono.fromRunnable(() -> digests.forEach(this::deleteFile))
                .subscribeOn(blobs.scheduler())
                .then();
    }

    /** A file that cannot be deleted is left to start-up recovery, which removes unrecorded files. */
    private void deleteFile(Digest digest) {
        try {
            blobs.deleteBlobFile(digest);
        } catch (IOException e) {
            LOG.warn("blob file not deleted, left for start-up recovery digest={} error={}", digest,
                    e.toString());
        }
    }

    private static Mono<Long> deleteRows(Connection connection, List<Digest> digests) {
        List<Object[]> rows = new ArrayList<>(digests.size());
        for (Digest digest : digests) {
            rows.add(new Object[] {digest.toString()});
        }
        return Sql.updateEach(connection, "DELETE FROM blob_deletions WHERE digest = ?", rows);
    }

    /** A blob whose row was deleted, and the size its file had. */
    record Claimed(Digest digest, long size) {
    }
}
