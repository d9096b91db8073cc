package dev.berth.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.berth.core.Digest;
import dev.berth.core.RegistryException;
import dev.berth.storage.sqlite.ConnectionPool;

/**
 * Puts the database and the data directory back in agreement after a crash, before the server
 * serves: finishes pending blob deletions, deletes upload files without a session and sessions
 * without a file, stray {@code *.tmp} files, and blob files without a row (a crash between the
 * move into place and the link). A blob row whose file is missing is deleted with its links and
 * logged at WARN: its bytes are lost, and clients push them again.
 *
 * <p>It assumes nothing else writes meanwhile; {@link Storage#open} runs it only while it holds
 * the data directory's lock. Were it to run beside a live server anyway, the deletion protocol
 * of {@link GarbageCollector} still keeps a link from pointing at a deleted file.
 *
 * <p>Limitation: every blob file is listed and every blob row checked against the disk, so a
 * start takes longer as the registry grows (about a second per few hundred thousand blobs on an
 * SSD).
 */
final class StartupRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(StartupRecovery.class);
    private static final int PAGE = 500;

    private final ConnectionPool writer;
    private final ConnectionPool readers;
    private final FileBlobStore blobs;
    private final BlobDeletions deletions;

    StartupRecovery(ConnectionPool writer, ConnectionPool readers, FileBlobStore blobs) {
        this.writer = writer;
        this.readers = readers;
        this.blobs = blobs;
        this.deletions = new BlobDeletions(writer, blobs);
    }

    /** Runs every step in order and logs one INFO line with what each found. */
    Mono<Counts> run() {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            Counts counts = new Counts();
            return deletions.finishPending()
                    .doOnNext(count -> counts.deletions = count)
                    .then(reconcileUploads(counts))
                    .then(deleteUnrecordedBlobFiles(counts))
                    .doOnNext(count -> counts.blobFiles = count)
                    .then(deleteRowsWithoutFiles(""))
                    .doOnNext(count -> counts.blobRows = count)
                    .then(Mono.fromCallable(() -> logged(counts, started)));
        });
    }

    private static Counts logged(Counts counts, long started) {
        LOG.info("recovery finished deletions={} tempFiles={} uploadFiles={} uploadRows={}"
                + " blobFiles={} blobRows={} ms={}", counts.deletions, counts.tempFiles,
                counts.uploadFiles, counts.uploadRows, counts.blobFiles, counts.blobRows,
                (System.nanoTime() - started) / 1_000_000);
        return counts;
    }

    /** Upload files and rows that lost their other half: an interrupted start, cancel or expiry. */
    private Mono<Void> reconcileUploads(Counts counts) {
        Mono<Set<String>> rows = readers.withConnection(connection -> Sql.query(connection,
                        "SELECT id FROM uploads", row -> row.get(0, String.class)))
                .collect(HashSet::new, Set::add);
        return onIo(() -> fileNames(blobs.uploadsRoot()))
                .zipWith(rows)
                .flatMap(both -> {
                    List<String> orphanFiles = minus(both.getT1(), both.getT2());
                    List<String> orphanRows = minus(both.getT2(), both.getT1());
                    counts.uploadFiles = orphanFiles.size();
                    counts.uploadRows = orphanRows.size();
                    return onIo(() -> deleteUploadFiles(orphanFiles)).then(deleteUploadRows(orphanRows));
                });
    }

    private int deleteUploadFiles(List<String> ids) throws IOException {
        for (String id : ids) {
            Files.deleteIfExists(blobs.uploadsRoot().resolve(id));
            blobs.forget(id);
        }
        return ids.size();
    }

    private Mono<Void> deleteUploadRows(List<String> ids) {
        List<Object[]> rows = ids.stream().map(id -> new Object[] {id}).toList();
        return writer.inTransaction(connection -> Sql.updateEach(connection,
                        "DELETE FROM uploads WHERE id = ?", rows))
                .then();
    }

    /** Blob files no row knows: moved into place by an upload whose link never committed. */
    /**
     * Blob files without a row, found in one walk of the blob tree that also removes stray
     * {@code *.tmp} files. (Temporary files in {@code uploads/} have no session row, so the
     * upload reconciliation removes them.)
     */
    private Mono<Integer> deleteUnrecordedBlobFiles(Counts counts) {
        return onIo(this::blobDirectories)
                .flatMapMany(Flux::fromIterable)
                .concatMap(directory -> onIo(() -> digestsIn(directory, counts)))
                .concatMap(digests -> Flux.fromIterable(digests).buffer(PAGE))
                .concatMap(this::deleteUnrecorded)
                .reduce(0, Integer::sum);
    }

    private List<Path> blobDirectories() throws IOException {
        List<Path> directories = new ArrayList<>();
        for (Path algorithm : children(blobs.blobsRoot())) {
            if (Files.isDirectory(algorithm)) {
                for (Path prefix : children(algorithm)) {
                    if (Files.isDirectory(prefix)) {
                        directories.add(prefix);
                    }
                }
            }
        }
        return directories;
    }

    private List<Digest> digestsIn(Path directory, Counts counts) throws IOException {
        String algorithm = directory.getParent().getFileName().toString();
        List<Digest> digests = new ArrayList<>();
        for (Path file : children(directory)) {
            if (file.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(file)) {
                counts.tempFiles += Files.deleteIfExists(file) ? 1 : 0;
                continue;
            }
            Digest digest = digestOf(algorithm, file);
            if (digest != null) {
                digests.add(digest);
            }
        }
        return digests;
    }

    /** The digest a blob file stands for, or null (logged) for a file Berth did not put there. */
    private Digest digestOf(String algorithm, Path file) {
        try {
            Digest digest = new Digest(algorithm, file.getFileName().toString());
            if (Files.isRegularFile(file) && blobs.blobPath(digest).equals(file)) {
                return digest;
            }
        } catch (RegistryException e) {
            // Not a digest: fall through to the warning.
        }
        LOG.warn("unexpected entry in the blob directory, left alone path={}", file);
        return null;
    }

    private Mono<Integer> deleteUnrecorded(List<Digest> digests) {
        Object[] args = digests.stream().map(Digest::toString).toArray();
        String sql = "SELECT digest FROM blobs WHERE digest IN (" + Sql.placeholders(args.length) + ")";
        return readers.withConnection(connection -> Sql.query(connection, sql,
                        row -> row.get(0, String.class), args))
                .collect(HashSet<String>::new, Set::add)
                .flatMap(recorded -> onIo(() -> deleteFilesNotIn(digests, recorded)));
    }

    private int deleteFilesNotIn(List<Digest> digests, Set<String> recorded) throws IOException {
        int count = 0;
        for (Digest digest : digests) {
            if (!recorded.contains(digest.toString()) && blobs.deleteBlobFile(digest)) {
                LOG.warn("blob file without a record deleted digest={}", digest);
                count++;
            }
        }
        return count;
    }

    /** Blob rows whose file is gone, page by page in digest order after {@code after}. */
    private Mono<Integer> deleteRowsWithoutFiles(String after) {
        return readers.withConnection(connection -> Sql.query(connection,
                        "SELECT digest FROM blobs WHERE digest > ? ORDER BY digest LIMIT ?",
                        row -> row.get(0, String.class), after, PAGE))
                .collectList()
                .flatMap(page -> onIo(() -> missingFiles(page))
                        .flatMap(this::deleteBlobRows)
                        .flatMap(deleted -> page.size() < PAGE ? Mono.just(deleted)
                                : deleteRowsWithoutFiles(page.get(page.size() - 1))
                                        .map(more -> deleted + more)));
    }

    private List<String> missingFiles(List<String> digests) {
        List<String> missing = new ArrayList<>();
        for (String digest : digests) {
            // notExists, not !isRegularFile: a file that cannot be read right now (permissions,
            // an I/O error) must not cost the blob its row and every repository's link to it.
            if (Files.notExists(blobs.blobPath(Digest.parse(digest)))) {
                missing.add(digest);
            }
        }
        return missing;
    }

    private Mono<Integer> deleteBlobRows(List<String> digests) {
        if (digests.isEmpty()) {
            return Mono.just(0);
        }
        List<Object[]> rows = digests.stream().map(digest -> new Object[] {digest}).toList();
        return writer.inTransaction(connection -> Sql.updateEach(connection,
                                "DELETE FROM repository_blobs WHERE digest = ?", rows)
                        .then(Sql.updateEach(connection, "DELETE FROM blobs WHERE digest = ?", rows)))
                .then(Mono.fromRunnable(() -> digests.forEach(StartupRecovery::warnLost)))
                .thenReturn(digests.size());
    }

    private static void warnLost(String digest) {
        LOG.warn("blob file missing, record and links deleted; clients must push it again digest={}",
                digest);
    }

    private static Set<String> fileNames(Path directory) throws IOException {
        Set<String> names = new HashSet<>();
        for (Path file : children(directory)) {
            if (Files.isRegularFile(file)) {
                names.add(file.getFileName().toString());
            }
        }
        return names;
    }

    private static List<Path> children(Path directory) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(children::add);
        }
        return children;
    }

    private static List<String> minus(Set<String> all, Set<String> remove) {
        return all.stream().filter(item -> !remove.contains(item)).sorted().toList();
    }

    private <T> Mono<T> onIo(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(blobs.scheduler());
    }

    /** What recovery found and fixed. */
    static final class Counts {
        int deletions;
        int tempFiles;
        int uploadFiles;
        int uploadRows;
        int blobFiles;
        int blobRows;
    }
}
