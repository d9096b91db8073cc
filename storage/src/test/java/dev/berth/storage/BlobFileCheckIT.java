package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.berth.core.Digest;
import dev.berth.core.ErrorCode;
import dev.berth.core.RegistryException;
import dev.berth.core.RepositoryName;
import dev.berth.storage.sqlite.ConnectionPool;
import dev.berth.storage.sqlite.SqliteConnectionFactory;

/**
 * The blob-file check that guards a new blob row: asked once per new blob, on the database
 * writer's own thread inside its transaction, and never for a blob that already has its row.
 */
class BlobFileCheckIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final RepositoryName REPO = RepositoryName.of("fixture/check");
    private static final String THREADS = "test-sqlite-check";

    @TempDir
    Path data;

    private Scheduler scheduler;
    private ConnectionPool writer;
    private ConnectionPool readers;
    private final List<String> askedOn = new CopyOnWriteArrayList<>();
    private volatile boolean present = true;
    private SqliteMetadataStore store;

    @BeforeEach
    void setUp() {
        scheduler = Schedulers.newBoundedElastic(4, 1000, THREADS);
        ConnectionFactory factory = SqliteConnectionFactory.create(data.resolve("berth.db"), scheduler);
        writer = new ConnectionPool(factory, 1, TIMEOUT);
        readers = new ConnectionPool(factory, 1, TIMEOUT);
        store = new SqliteMetadataStore(writer, readers, Clock.systemUTC(), digest -> {
            askedOn.add(Thread.currentThread().getName());
            return present;
        });
        store.migrate().block(TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        store.close().block(TIMEOUT);
        scheduler.dispose();
    }

    @Test
    void linkBlob_newBlob_asksOnTheWritersThreadAndOnlyOnce() {
        Digest digest = Digest.sha256("new blob");

        store.linkBlob(REPO, digest, 8).as(StepVerifier::create).verifyComplete();
        store.linkBlob(RepositoryName.of("fixture/other"), digest, 8).as(StepVerifier::create)
                .verifyComplete();

        assertThat(askedOn).hasSize(1);
        assertThat(askedOn.get(0)).startsWith(THREADS);
        store.findBlobSizeAnywhere(digest).as(StepVerifier::create).expectNext(8L).verifyComplete();
    }

    @Test
    void linkBlob_fileMissing_failsAndCreatesNoRow() {
        present = false;
        Digest digest = Digest.sha256("gone");

        store.linkBlob(REPO, digest, 4).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(((RegistryException) error).code())
                        .isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID))
                .verify(TIMEOUT);

        store.findBlobSizeAnywhere(digest).as(StepVerifier::create).verifyComplete();
    }
}
