package dev.berth.storage.sqlite;

import static dev.berth.storage.sqlite.TestDatabase.TIMEOUT;
import static dev.berth.storage.sqlite.TestDatabase.expectCount;
import static dev.berth.storage.sqlite.TestDatabase.count;
import static dev.berth.storage.sqlite.TestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Transactions through a pool of one connection: Berth's single writer. */
class ConnectionPoolTransactionTest {
    private static final String INSERT = "INSERT INTO item VALUES (1)";

    @TempDir
    Path directory;

    private TestDatabase database;
    private ConnectionPool writer;

    @BeforeEach
    void setUp() {
        database = new TestDatabase(directory);
        writer = new ConnectionPool(database.factory, 1, TIMEOUT);
        writer.withConnection(connection -> update(connection,
                        "CREATE TABLE item (id INTEGER PRIMARY KEY)"))
                .blockLast(TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        writer.close().block(TIMEOUT);
        database.close();
    }

    @Test
    void inTransaction_workCompletes_commits() {
        writer.inTransaction(connection -> update(connection, "INSERT INTO item VALUES (1)"))
                .as(StepVerifier::create)
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);

        expectCount(database.open(), "item", 1);
    }

    @Test
    void inRolledBackTransaction_workCompletes_seesItsWritesThenKeepsNone() {
        writer.inRolledBackTransaction(connection -> update(connection, INSERT)
                        .then(count(connection, "item")))
                .as(StepVerifier::create)
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);

        writer.withConnection(connection -> count(connection, "item"))
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void inTransaction_workFails_rollsBack() {
        writer.inTransaction(connection -> update(connection, "INSERT INTO item VALUES (1)")
                        .then(Mono.error(new IllegalStateException("boom"))))
                .as(StepVerifier::create)
                .expectErrorMessage("boom")
                .verify(TIMEOUT);

        writer.withConnection(connection -> count(connection, "item"))
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void inTransaction_cancelledMidWork_rollsBack() {
        Sinks.Empty<Void> inserted = Sinks.empty();

        writer.inTransaction(connection -> update(connection, "INSERT INTO item VALUES (1)")
                        .doOnSuccess(count -> inserted.tryEmitEmpty())
                        .then(Mono.never()))
                .as(StepVerifier::create)
                .expectSubscription()
                .then(() -> inserted.asMono().block(TIMEOUT))
                .thenCancel()
                .verify(TIMEOUT);

        writer.withConnection(connection -> count(connection, "item"))
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void inTransaction_sizeOnePool_secondWaitsUntilFirstCommits() {
        Sinks.Empty<Void> gate = Sinks.empty();
        List<String> events = new CopyOnWriteArrayList<>();
        StepVerifier first = writer.inTransaction(connection -> update(connection, INSERT)
                        .doOnSuccess(count -> events.add("first inserted"))
                        .then(gate.asMono())
                        .doOnSuccess(ignored -> events.add("first done")))
                .as(StepVerifier::create)
                .expectComplete()
                .verifyLater();

        writer.inTransaction(connection -> {
            events.add("second began");
            return count(connection, "item");
        })
                .as(StepVerifier::create)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(200))
                .then(gate::tryEmitEmpty)
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);

        first.verify(TIMEOUT);
        assertThat(events).containsExactly("first inserted", "first done", "second began");
    }

    @Test
    void inTransaction_commitFails_emitsErrorAndFreesWriter() {
        String deferredReference = "CREATE TABLE child (parent INTEGER REFERENCES item (id)"
                + " DEFERRABLE INITIALLY DEFERRED)";

        writer.inTransaction(connection -> update(connection, deferredReference)
                        .then(update(connection, "INSERT INTO child VALUES (42)")))
                .as(StepVerifier::create)
                .expectNext(1L)
                .expectError(R2dbcDataIntegrityViolationException.class)
                .verify(TIMEOUT);

        writer.withConnection(connection -> count(connection, "sqlite_master WHERE name = 'child'"))
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
    }
}
