package dev.berth.storage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Row;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.berth.core.Descriptor;
import dev.berth.core.Digest;
import dev.berth.core.ErrorCode;
import dev.berth.core.Manifest;
import dev.berth.core.RegistryException;
import dev.berth.core.RepositoryName;
import dev.berth.storage.sqlite.ConnectionPool;

/**
 * Metadata in SQLite. Writes go through a pool of one connection, so write transactions queue
 * one behind the other (SQLite allows one writer at a time anyway, and queueing here is cheaper
 * than retrying on {@code SQLITE_BUSY}); reads use a small pool of their own, which WAL mode lets
 * run beside the writer.
 *
 * <p>Linking a blob takes part in the deletion protocol of {@link GarbageCollector}: it refuses a
 * blob whose bytes are being removed, and creates a blob's row only over a file that is there.
 */
final class SqliteMetadataStore implements MetadataStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final String REPO_ID = "(SELECT id FROM repositories WHERE name = ?)";

    private final ConnectionPool writer;
    private final ConnectionPool readers;
    private final Clock clock;
    private final Predicate<Digest> blobFilePresent;

    /**
     * A store over two pools of one database.
     *
     * @param blobFilePresent whether a blob's file is on disk; asked inside the write transaction
     *        that would create the blob's row, on the writer connection's own thread, so it may
     *        block briefly (a file-system lookup). Asking another thread pool instead would hold
     *        the single writer idle for two thread hand-overs per new blob.
     */
    SqliteMetadataStore(ConnectionPool writer, ConnectionPool readers, Clock clock,
            Predicate<Digest> blobFilePresent) {
        this.writer = writer;
        this.readers = readers;
        this.clock = clock;
        this.blobFilePresent = blobFilePresent;
    }

    /** Applies pending migrations on the writer connection. */
    Mono<Integer> migrate() {
        return writer.withConnection(connection -> SqliteMigrations.apply(connection, clock)).single();
    }

    @Override
    public Mono<Long> findBlobSize(RepositoryName repository, Digest digest) {
        return read(connection -> Sql.query(connection, "SELECT b.size FROM repository_blobs rb"
                + " JOIN blobs b ON b.digest = rb.digest"
                + " WHERE rb.repository_id = " + REPO_ID + " AND rb.digest = ?",
                row -> row.get(0, Long.class), repository.value(), digest.toString()));
    }

    @Override
    public Mono<Long> findBlobSizeAnywhere(Digest digest) {
        return read(connection -> Sql.query(connection, "SELECT b.size FROM blobs b WHERE b.digest = ?"
                + " AND EXISTS (SELECT 1 FROM repository_blobs rb WHERE rb.digest = b.digest)",
                row -> row.get(0, Long.class), digest.toString()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fails with {@code BLOB_UPLOAD_INVALID}, asking the client to upload again, when garbage
     * collection is removing the blob's bytes, or removed them after the upload was finished.
     */
    @Override
    public Mono<Void> linkBlob(RepositoryName repository, Digest digest, long size) {
        return write(connection -> link(connection, repository, digest, size));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fails as {@link #linkBlob} does, and then keeps the session.
     */
    @Override
    public Mono<Void> linkUploadedBlob(RepositoryName repository, Digest digest, long size, String uploadId) {
        return write(connection -> link(connection, repository, digest, size)
                .then(Sql.update(connection, "DELETE FROM uploads WHERE id = ?", uploadId))
                .then());
    }

    private Mono<Void> link(Connection connection, RepositoryName repository, Digest digest, long size) {
        long now = clock.millis();
        return refuseIfBeingDeleted(connection, digest)
                .then(ensureBlob(connection, digest, size, now))
                .then(ensureRepository(connection, repository))
                .flatMap(id -> Sql.update(connection, "INSERT INTO repository_blobs (repository_id, digest,"
                        + " linked_at) VALUES (?, ?, ?) ON CONFLICT (repository_id, digest)"
                        + " DO UPDATE SET linked_at = excluded.linked_at", id, digest.toString(), now))
                .then();
    }

    private static Mono<Void> refuseIfBeingDeleted(Connection connection, Digest digest) {
        return Sql.query(connection, "SELECT COUNT(*) FROM blob_deletions WHERE digest = ?",
                        row -> row.get(0, Long.class), digest.toString())
                .single()
                .flatMap(count -> count == 0 ? Mono.empty() : Mono.error(uploadAgain(digest,
                        "is being removed by garbage collection")));
    }

    /**
     * Creates the blob's row unless it exists. A new row needs the file: an upload that found the
     * file already stored may have dropped its own bytes just before a garbage collection deleted
     * that file, and this check, made while holding the write lock, catches it.
     */
    private Mono<Void> ensureBlob(Connection connection, Digest digest, long size, long now) {
        return Sql.query(connection, "SELECT COUNT(*) FROM blobs WHERE digest = ?",
                        row -> row.get(0, Long.class), digest.toString())
                .single()
                .flatMap(count -> count > 0 ? Mono.empty() : insertOverFile(connection, digest, size, now));
    }

    private Mono<Void> insertOverFile(Connection connection, Digest digest, long size, long now) {
        // Runs where the SELECT before it emitted: on the writer connection's thread.
        return Mono.fromCallable(() -> blobFilePresent.test(digest))
                .flatMap(present -> present
                        ? Sql.update(connection, "INSERT INTO blobs (digest, size, created_at) VALUES (?, ?, ?)",
                                digest.toString(), size, now).then()
                        : Mono.error(uploadAgain(digest, "has no bytes on disk (garbage collection removed them)")));
    }

    private static RegistryException uploadAgain(Digest digest, String what) {
        return ErrorCode.BLOB_UPLOAD_INVALID.exception("blob " + digest + " " + what + "; retry the upload");
    }

    @Override
    public Mono<Boolean> unlinkBlob(RepositoryName repository, Digest digest) {
        return write(connection -> Sql.update(connection, "DELETE FROM repository_blobs"
                + " WHERE repository_id = " + REPO_ID + " AND digest = ?", repository.value(), digest.toString()))
                .map(count -> count > 0);
    }

    @Override
    public Mono<Void> putManifest(RepositoryName repository, ManifestRecord record, Manifest parsed, String tag) {
        long now = clock.millis();
        return write(connection -> ensureRepository(connection, repository)
                .flatMap(id -> requireReferences(connection, id, parsed)
                        .then(insertManifest(connection, id, record, parsed, now))
                        .then(tag == null ? Mono.just(0L) : upsertTag(connection, id, tag, record.digest(), now))))
                .then();
    }

    private Mono<Long> ensureRepository(Connection connection, RepositoryName repository) {
        return Sql.update(connection, "INSERT INTO repositories (name, created_at) VALUES (?, ?)"
                        + " ON CONFLICT (name) DO NOTHING", repository.value(), clock.millis())
                .thenMany(Sql.query(connection, "SELECT id FROM repositories WHERE name = ?",
                        row -> row.get(0, Long.class), repository.value()))
                .single();
    }

    /** Fails with MANIFEST_BLOB_UNKNOWN naming the first blob or child manifest not in the repository. */
    private Mono<Void> requireReferences(Connection connection, long repositoryId, Manifest parsed) {
        Set<String> blobs = digests(parsed.requiredBlobs());
        Set<String> children = digests(parsed.manifests());
        return missing(connection, "repository_blobs", repositoryId, blobs)
                .concatWith(missing(connection, "manifests", repositoryId, children))
                .next()
                .flatMap(absent -> Mono.error(ErrorCode.MANIFEST_BLOB_UNKNOWN.exception(
                        "manifest references " + absent + ", which is not in the repository")));
    }

    private static Flux<String> missing(Connection connection, String table, long repositoryId, Set<String> wanted) {
        if (wanted.isEmpty()) {
            return Flux.empty();
        }
        List<Object> args = new ArrayList<>(wanted.size() + 1);
        args.add(repositoryId);
        args.addAll(wanted);
        return Sql.query(connection, "SELECT digest FROM " + table + " WHERE repository_id = ? AND digest IN ("
                        + Sql.placeholders(wanted.size()) + ")", row -> row.get(0, String.class), args.toArray())
                .collect(HashSet<String>::new, Set::add)
                .flatMapMany(present -> Flux.fromIterable(wanted).filter(digest -> !present.contains(digest)));
    }

    private Mono<Long> insertManifest(Connection connection, long repositoryId, ManifestRecord record,
            Manifest parsed, long now) {
        String subject = parsed.subject() == null ? null : parsed.subject().digest().toString();
        return Sql.update(connection, "INSERT INTO manifests (repository_id, digest, media_type, size, content,"
                        + " subject, artifact_type, annotations, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (repository_id, digest) DO NOTHING",
                        repositoryId, record.digest().toString(), record.mediaType(), (long) record.size(),
                        record.content(), subject, parsed.effectiveArtifactType(),
                        annotations(parsed.annotations()), now)
                .flatMap(inserted -> inserted == 0 ? Mono.just(0L)
                        : insertReferences(connection, repositoryId, record.digest(), parsed));
    }

    private static Mono<Long> insertReferences(Connection connection, long repositoryId, Digest manifest,
            Manifest parsed) {
        List<Object[]> rows = new ArrayList<>();
        for (String blob : digests(parsed.requiredBlobs())) {
            rows.add(new Object[] {repositoryId, manifest.toString(), blob, "blob"});
        }
        for (String child : digests(parsed.manifests())) {
            rows.add(new Object[] {repositoryId, manifest.toString(), child, "manifest"});
        }
        return Sql.updateEach(connection, "INSERT INTO manifest_references (repository_id, manifest_digest,"
                + " target_digest, kind) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", rows);
    }

    private static Mono<Long> upsertTag(Connection connection, long repositoryId, String tag, Digest digest,
            long now) {
        return Sql.update(connection, "INSERT INTO tags (repository_id, name, digest, updated_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (repository_id, name) DO UPDATE SET digest = excluded.digest,"
                + " updated_at = excluded.updated_at", repositoryId, tag, digest.toString(), now);
    }

    @Override
    public Mono<ManifestRecord> findManifest(RepositoryName repository, Digest digest) {
        return read(connection -> Sql.query(connection, "SELECT media_type, content FROM manifests"
                + " WHERE repository_id = " + REPO_ID + " AND digest = ?",
                row -> new ManifestRecord(digest, row.get(0, String.class), row.get(1, byte[].class)),
                repository.value(), digest.toString()));
    }

    @Override
    public Mono<Digest> findTag(RepositoryName repository, String tag) {
        return read(connection -> Sql.query(connection, "SELECT digest FROM tags"
                + " WHERE repository_id = " + REPO_ID + " AND name = ?",
                row -> Digest.parse(row.get(0, String.class)), repository.value(), tag));
    }

    @Override
    public Mono<Boolean> deleteManifest(RepositoryName repository, Digest digest) {
        return write(connection -> Sql.update(connection, "DELETE FROM manifests"
                + " WHERE repository_id = " + REPO_ID + " AND digest = ?", repository.value(), digest.toString()))
                .map(count -> count > 0);
    }

    @Override
    public Mono<Boolean> deleteTag(RepositoryName repository, String tag) {
        return write(connection -> Sql.update(connection, "DELETE FROM tags"
                + " WHERE repository_id = " + REPO_ID + " AND name = ?", repository.value(), tag))
                .map(count -> count > 0);
    }

    @Override
    public Flux<Descriptor> listReferrers(RepositoryName repository, Digest subject, String artifactType,
            Digest last, int limit) {
        List<Object> args = new ArrayList<>(List.of(repository.value(), subject.toString(),
                last == null ? "" : last.toString()));
        String filter = "";
        if (artifactType != null) {
            filter = " AND artifact_type = ?";
            args.add(artifactType);
        }
        args.add(limit);
        String sql = "SELECT digest, media_type, size, artifact_type, annotations FROM manifests"
                + " WHERE repository_id = " + REPO_ID + " AND subject = ? AND digest > ?" + filter
                + " ORDER BY digest LIMIT ?";
        return readMany(connection -> Sql.query(connection, sql, SqliteMetadataStore::referrer, args.toArray()));
    }

    private static Descriptor referrer(Row row) {
        return new Descriptor(row.get(1, String.class), Digest.parse(row.get(0, String.class)),
                row.get(2, Long.class), row.get(3, String.class), annotations(row.get(4, String.class)), List.of());
    }

    @Override
    public Mono<Boolean> existsRepository(RepositoryName repository) {
        return read(connection -> Sql.query(connection, "SELECT COUNT(*) FROM repositories WHERE name = ?",
                row -> row.get(0, Long.class) > 0, repository.value()));
    }

    @Override
    public Flux<String> listTags(RepositoryName repository, String last, int limit) {
        return readMany(connection -> Sql.query(connection, "SELECT name FROM tags"
                + " WHERE repository_id = " + REPO_ID + " AND name > ? ORDER BY name LIMIT ?",
                row -> row.get(0, String.class), repository.value(), last == null ? "" : last, limit));
    }

    @Override
    public Flux<String> listRepositories(String last, int limit) {
        return readMany(connection -> Sql.query(connection, "SELECT name FROM repositories"
                + " WHERE name > ? ORDER BY name LIMIT ?",
                row -> row.get(0, String.class), last == null ? "" : last, limit));
    }

    @Override
    public Mono<Void> createUpload(UploadSession session) {
        return write(connection -> Sql.update(connection, "INSERT INTO uploads (id, repository, started_at,"
                + " touched_at) VALUES (?, ?, ?, ?)", session.id(), session.repository().value(),
                session.startedAt().toEpochMilli(), session.touchedAt().toEpochMilli()))
                .then();
    }

    @Override
    public Mono<UploadSession> findUpload(String id) {
        return read(connection -> Sql.query(connection, "SELECT repository, started_at, touched_at FROM uploads"
                + " WHERE id = ?", row -> new UploadSession(id, RepositoryName.of(row.get(0, String.class)),
                        Instant.ofEpochMilli(row.get(1, Long.class)), Instant.ofEpochMilli(row.get(2, Long.class))),
                id));
    }

    @Override
    public Mono<Void> touchUpload(String id, Instant when) {
        return write(connection -> Sql.update(connection, "UPDATE uploads SET touched_at = ? WHERE id = ?",
                when.toEpochMilli(), id))
                .then();
    }

    @Override
    public Mono<Boolean> deleteUpload(String id) {
        return write(connection -> Sql.update(connection, "DELETE FROM uploads WHERE id = ?", id))
                .map(count -> count > 0);
    }

    @Override
    public Mono<Void> close() {
        return writer.close().then(readers.close());
    }

    private <T> Mono<T> read(Function<Connection, Publisher<T>> work) {
        return readers.withConnection(work).singleOrEmpty();
    }

    private <T> Flux<T> readMany(Function<Connection, Publisher<T>> work) {
        return readers.withConnection(work);
    }

    /**
     * Runs {@code work} as one write transaction. The result is collected before the transaction
     * ends, so that a downstream {@code next()} never cancels (and so rolls back) a commit.
     */
    private <T> Mono<T> write(Function<Connection, Publisher<T>> work) {
        return writer.inTransaction(work).singleOrEmpty();
    }

    private static Set<String> digests(List<Descriptor> descriptors) {
        Set<String> digests = new LinkedHashSet<>();
        for (Descriptor descriptor : descriptors) {
            digests.add(descriptor.digest().toString());
        }
        return digests;
    }

    private static Map<String, String> annotations(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("annotations column holds invalid JSON", e);
        }
    }

    private static String annotations(Map<String, String> annotations) {
        if (annotations.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(annotations);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("annotations are strings and always serialise", e);
        }
    }
}
