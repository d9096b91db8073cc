package dev.berth.storage;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.berth.storage.sqlite.ConnectionPool;

/**
 * Deletes upload sessions that saw no traffic for a while: their rows first, each only if it is
 * still idle when the write transaction looks again, then their files and in-memory state.
 */
final class UploadExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(UploadExpiry.class);

    private final ConnectionPool writer;
    private final ConnectionPool readers;
    private final FileBlobStore blobs;
    private final Clock clock;

    UploadExpiry(ConnectionPool writer, ConnectionPool readers, FileBlobStore blobs, Clock clock) {
        this.writer = writer;
        this.readers = readers;
        this.blobs = blobs;
        this.clock = clock;
    }

    Mono<Integer> expire(Duration idle) {
        if (idle == null || idle.isNegative()) {
            return Mono.error(new IllegalArgumentException("idle: " + idle
                    + " (expected: zero or more)"));
        }
        return Mono.defer(() -> {
            long cutoff = clock.millis() - idle.toMillis();
            return readers.withConnection(connection -> Sql.query(connection,
                            "SELECT id FROM uploads WHERE touched_at < ?",
                            row -> row.get(0, String.class), cutoff))
                    // A request streaming a large chunk now is not idle, whatever touched_at says.
                    .filter(id -> !blobs.isReceiving(id))
                    .collectList()
                    .flatMap(ids -> deleteRows(ids, cutoff))
                    .flatMap(expired -> deleteFiles(expired).thenReturn(expired.size()))
                    .doOnNext(count -> logExpired(count, idle));
        });
    }

    private Mono<List<String>> deleteRows(List<String> ids, long cutoff) {
        if (ids.isEmpty()) {
            return Mono.just(List.of());
        }
        return writer.inTransaction(connection -> Flux.fromIterable(ids)
                        .concatMap(id -> Sql.query(connection,
                                "DELETE FROM uploads WHERE id = ? AND touched_at < ? RETURNING id",
                                row -> row.get(0, String.class), id, cutoff)))
                .collectList();
    }

    private Mono<Void> deleteFiles(List<String> ids) {
        return Flux.fromIterable(ids)
                .concatMap(id -> blobs.deleteUpload(id)
                        .onErrorResume(error -> keepGoing(id, error)))
                .then();
    }

    private static Mono<Void> keepGoing(String id, Throwable error) {
        LOG.warn("expired upload file not deleted, left for start-up recovery upload={} error={}", id,
                error.toString());
        return Mono.empty();
    }

    private static void logExpired(int count, Duration idle) {
        if (count > 0) {
            LOG.info("uploads expired count={} idle={}", count, idle);
        }
    }
}
