package dev.berth.storage.sqlite;

import static dev.berth.storage.sqlite.TestDatabase.TIMEOUT;
import static dev.berth.storage.sqlite.TestDatabase.expectCount;
import static dev.berth.storage.sqlite.TestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Transactions, auto-commit, savepoints and the connection's life cycle. */
class SqliteTransactionTest {
    @TempDir
    Path directory;

    private TestDatabase database;
    private Connection connection;
    private Connection other;

    @BeforeEach
    void setUp() {
        database = new TestDatabase(directory);
        connection = database.open();
        other = database.open();
        update(connection, "CREATE TABLE item (id INTEGER PRIMARY KEY)").block(TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void commitTransaction_afterInsert_otherConnectionSeesRow() {
        Mono.from(connection.beginTransaction())
                .then(update(connection, "INSERT INTO item VALUES (1)"))
                .then(Mono.from(connection.commitTransaction()))
                .as(StepVerifier::create)
                .expectComplete()
                .verify(TIMEOUT);

        expectCount(other, "item", 1);
        assertThat(connection.isAutoCommit()).isTrue();
    }

    @Test
    void rollbackTransaction_afterInsert_discardsRow() {
        Mono.from(connection.beginTransaction())
                .then(update(connection, "INSERT INTO item VALUES (1)"))
                .doOnNext(inserted -> assertThat(connection.isAutoCommit()).isFalse())
                .then(Mono.from(connection.rollbackTransaction()))
                .as(StepVerifier::create)
                .expectComplete()
                .verify(TIMEOUT);

        expectCount(connection, "item", 0);
    }

    @Test
    void beginTransaction_open_othersSeeNothingUntilCommit() {
        Mono.from(connection.beginTransaction())
                .then(update(connection, "INSERT INTO item VALUES (1)"))
                .block(TIMEOUT);

        expectCount(other, "item", 0);
        Mono.from(connection.commitTransaction()).block(TIMEOUT);
        expectCount(other, "item", 1);
    }

    @Test
    void setAutoCommit_off_groupsStatementsUntilRollback() {
        Mono.from(connection.setAutoCommit(false))
                .then(update(connection, "INSERT INTO item VALUES (1)"))
                .then(update(connection, "INSERT INTO item VALUES (2)"))
                .then(Mono.from(connection.rollbackTransaction()))
                .as(StepVerifier::create)
                .expectComplete()
                .verify(TIMEOUT);

        expectCount(connection, "item", 0);
        assertThat(connection.isAutoCommit()).isFalse();
    }

    @Test
    void setAutoCommit_onDuringTransaction_commits() {
        Mono.from(connection.beginTransaction())
                .then(update(connection, "INSERT INTO item VALUES (1)"))
                .then(Mono.from(connection.setAutoCommit(true)))
                .block(TIMEOUT);

        expectCount(other, "item", 1);
        assertThat(connection.isAutoCommit()).isTrue();
    }

    @Test
    void rollbackTransactionToSavepoint_keepsWorkBeforeSavepoint() {
        Mono.from(connection.createSavepoint("first"))
                .then(update(connection, "INSERT INTO item VALUES (1)"))
                .then(Mono.from(connection.createSavepoint("second")))
                .then(update(connection, "INSERT INTO item VALUES (2)"))
                .then(Mono.from(connection.rollbackTransactionToSavepoint("second")))
                .then(Mono.from(connection.releaseSavepoint("first")))
                .then(Mono.from(connection.commitTransaction()))
                .as(StepVerifier::create)
                .expectComplete()
                .verify(TIMEOUT);

        expectCount(other, "item", 1);
    }

    @Test
    void commitTransaction_noneOpen_completes() {
        Mono.from(connection.commitTransaction())
                .then(Mono.from(connection.rollbackTransaction()))
                .as(StepVerifier::create)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void setTransactionIsolationLevel_readCommitted_failsUnsupported() {
        assertThat(connection.getTransactionIsolationLevel())
                .isEqualTo(IsolationLevel.SERIALIZABLE);

        Mono.from(connection.setTransactionIsolationLevel(IsolationLevel.READ_COMMITTED))
                .as(StepVerifier::create)
                .expectError(UnsupportedOperationException.class)
                .verify(TIMEOUT);
    }

    @Test
    void setStatementTimeout_nonZero_failsUnsupported() {
        Mono.from(connection.setStatementTimeout(Duration.ofSeconds(1)))
                .as(StepVerifier::create)
                .expectError(UnsupportedOperationException.class)
                .verify(TIMEOUT);
    }

    @Test
    void validate_openThenClosed_trueThenFalse() {
        Mono.from(connection.validate(ValidationDepth.REMOTE))
                .as(StepVerifier::create)
                .expectNext(true)
                .expectComplete()
                .verify(TIMEOUT);

        Mono.from(connection.close()).block(TIMEOUT);

        Mono.from(connection.validate(ValidationDepth.LOCAL))
                .as(StepVerifier::create)
                .expectNext(false)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void createStatement_afterClose_failsNonTransient() {
        Mono.from(connection.close()).then(Mono.from(connection.close())).block(TIMEOUT);

        update(connection, "INSERT INTO item VALUES (1)")
                .as(StepVerifier::create)
                .expectError(R2dbcNonTransientResourceException.class)
                .verify(TIMEOUT);
    }
}
