package dev.berth.storage.sqlite;

import static dev.berth.storage.sqlite.TestDatabase.TIMEOUT;
import static dev.berth.storage.sqlite.TestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** SQLite failures surface as the matching R2DBC exceptions, with SQLite's message and code. */
class SqliteExceptionFactoryTest {
    @TempDir
    Path directory;

    private TestDatabase database;
    private Connection connection;

    @BeforeEach
    void setUp() {
        database = new TestDatabase(directory);
        connection = database.open();
        update(connection, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
                .block(TIMEOUT);
        update(connection, "INSERT INTO item VALUES (1, 'taken')").block(TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void execute_uniqueViolation_failsDataIntegrityViolation() {
        update(connection, "INSERT INTO item VALUES (2, ?)", "taken")
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(R2dbcDataIntegrityViolationException.class)
                        .hasMessageContaining("UNIQUE constraint failed: item.name")
                        .extracting(e -> ((R2dbcException) e).getErrorCode())
                        .isEqualTo(SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE.code))
                .verify(TIMEOUT);
    }

    @Test
    void execute_primaryKeyViolation_failsDataIntegrityViolationWithSql() {
        update(connection, "INSERT INTO item (id) VALUES (1)")
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(R2dbcDataIntegrityViolationException.class)
                        .extracting(e -> ((R2dbcException) e).getSql())
                        .isEqualTo("INSERT INTO item (id) VALUES (1)"))
                .verify(TIMEOUT);
    }

    @Test
    void execute_syntaxError_failsBadGrammar() {
        update(connection, "SELEC id FROM item")
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(R2dbcBadGrammarException.class)
                        .hasMessageContaining("syntax error"))
                .verify(TIMEOUT);
    }

    @Test
    void execute_unknownTable_failsBadGrammar() {
        update(connection, "DELETE FROM missing")
                .as(StepVerifier::create)
                .expectError(R2dbcBadGrammarException.class)
                .verify(TIMEOUT);
    }

    @Test
    void beginTransaction_writeLockHeldElsewhere_failsTransient() {
        Connection other = database.open();
        Mono.from(connection.beginTransaction()).block(TIMEOUT);

        Mono.from(other.setLockWaitTimeout(Duration.ZERO))
                .then(Mono.from(other.beginTransaction()))
                .as(StepVerifier::create)
                .expectError(R2dbcTransientResourceException.class)
                .verify(TIMEOUT);
    }

    @Test
    void translate_otherFailure_isNonTransientResource() {
        SQLiteException cause = new SQLiteException("disk I/O error", SQLiteErrorCode.SQLITE_IOERR);

        R2dbcException error = SqliteExceptionFactory.translate(cause, "SELECT 1");

        assertThat(error).isInstanceOf(R2dbcNonTransientResourceException.class)
                .hasMessage("disk I/O error")
                .hasCause(cause);
        assertThat(error.getErrorCode()).isEqualTo(SQLiteErrorCode.SQLITE_IOERR.code);
        assertThat(error.getSql()).isEqualTo("SELECT 1");
    }
}
