package dev.berth.storage.sqlite;

import static dev.berth.storage.sqlite.TestDatabase.TIMEOUT;
import static dev.berth.storage.sqlite.TestDatabase.expectCount;
import static dev.berth.storage.sqlite.TestDatabase.query;
import static dev.berth.storage.sqlite.TestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Binding values, placeholders, batches and update counts. */
class SqliteStatementTest {
    @TempDir
    Path directory;

    private TestDatabase database;
    private Connection connection;

    @BeforeEach
    void setUp() {
        database = new TestDatabase(directory);
        connection = database.open();
        update(connection, "CREATE TABLE item (id INTEGER PRIMARY KEY, v, label TEXT)")
                .block(TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    static Stream<Arguments> boundValues() {
        return Stream.of(
                Arguments.of("text", String.class, "text"),
                Arguments.of(Long.MAX_VALUE, Long.class, Long.MAX_VALUE),
                Arguments.of(42, Integer.class, 42),
                Arguments.of((short) 7, Short.class, (short) 7),
                Arguments.of(true, Boolean.class, true),
                Arguments.of(false, Boolean.class, false),
                Arguments.of(2.5d, Double.class, 2.5d),
                Arguments.of(new byte[] {1, 2, 3}, byte[].class, new byte[] {1, 2, 3}),
                Arguments.of(ByteBuffer.wrap(new byte[] {4, 5}), ByteBuffer.class,
                        ByteBuffer.wrap(new byte[] {4, 5})),
                Arguments.of(Parameters.in(R2dbcType.VARCHAR, "wrapped"), String.class, "wrapped"),
                Arguments.of(Parameters.in(99L), Long.class, 99L));
    }

    @ParameterizedTest
    @MethodSource("boundValues")
    void bind_supportedType_readsBackSameValue(Object bound, Class<?> type, Object expected) {
        update(connection, "INSERT INTO item (id, v) VALUES (1, ?)", bound).block(TIMEOUT);

        query(connection, "SELECT v FROM item WHERE id = 1", row -> row.get("v", type))
                .as(StepVerifier::create)
                .assertNext(value -> assertThat(value).isEqualTo(expected))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void bind_byteBuffer_leavesCallerPositionAlone() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 8, 7});

        connection.createStatement("SELECT ?").bind(0, buffer);

        assertThat(buffer.remaining()).isEqualTo(3);
    }

    @Test
    void bindNull_anyType_readsNull() {
        Statement insert = connection.createStatement("INSERT INTO item (id, v) VALUES (1, ?)")
                .bindNull(0, String.class);
        Flux.from(insert.execute()).concatMap(Result::getRowsUpdated).blockLast(TIMEOUT);

        query(connection, "SELECT v IS NULL FROM item", row -> row.get(0, Boolean.class))
                .as(StepVerifier::create)
                .expectNext(true)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void bind_dollarPlaceholdersOutOfOrder_bindsByNumber() {
        update(connection, "INSERT INTO item (id, label) VALUES ($2, $1)", "first", 5L)
                .block(TIMEOUT);

        query(connection, "SELECT label FROM item WHERE id = $1", row -> row.get(0, String.class),
                        5L)
                .as(StepVerifier::create)
                .expectNext("first")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void bind_dollarPlaceholderUsedTwice_takesOneValue() {
        Statement statement = connection.createStatement("SELECT $1 + $1, $2")
                .bind("$1", 20)
                .bind("$2", "x");

        Flux.from(statement.execute())
                .concatMap(result -> result.map(row -> row.get(0, Long.class)
                        + row.get(1, String.class)))
                .as(StepVerifier::create)
                .expectNext("40x")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void bind_unknownName_throwsNoSuchElement() {
        Statement statement = connection.createStatement("SELECT $1");

        assertThatThrownBy(() -> statement.bind("$2", 1))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> statement.bind("id", 1))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void bind_indexOutOfRange_throwsIndexOutOfBounds() {
        Statement statement = connection.createStatement("SELECT ?");

        assertThatThrownBy(() -> statement.bind(1, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> statement.bind(-1, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void bind_unsupportedOrNullValue_throwsIllegalArgument() {
        Statement statement = connection.createStatement("SELECT ?");

        assertThatThrownBy(() -> statement.bind(0, new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bind value type: java.lang.Object");
        assertThatThrownBy(() -> statement.bind(0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void execute_parameterLeftUnbound_throwsIllegalState() {
        Statement statement = connection.createStatement("INSERT INTO item (id, v) VALUES (?, ?)")
                .bind(0, 1);

        assertThatThrownBy(statement::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parameter 1 ($2) has no value");
    }

    @Test
    void add_threeBindingSets_emitsOneResultEach() {
        Statement insert = connection
                .createStatement("INSERT INTO item (id, label) VALUES ($1, $2)")
                .bind(0, 1).bind(1, "a").add()
                .bind(0, 2).bind(1, "b").add()
                .bind(0, 3).bind(1, "c");

        Flux.from(insert.execute())
                .concatMap(Result::getRowsUpdated)
                .as(StepVerifier::create)
                .expectNext(1L, 1L, 1L)
                .expectComplete()
                .verify(TIMEOUT);
        query(connection, "SELECT label FROM item ORDER BY id",
                        row -> row.get("LABEL", String.class))
                .as(StepVerifier::create)
                .expectNext("a", "b", "c")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void getRowsUpdated_updateOfTwoRows_emitsTwo() {
        update(connection, "INSERT INTO item (id, label) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
                .block(TIMEOUT);

        update(connection, "UPDATE item SET label = 'z' WHERE id < 3")
                .as(StepVerifier::create)
                .expectNext(2L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void getRowsUpdated_ddlAfterInsert_emitsZero() {
        update(connection, "INSERT INTO item (id) VALUES (1), (2)").block(TIMEOUT);

        update(connection, "CREATE TABLE other (x)")
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void getRowsUpdated_select_completesEmpty() {
        Flux.from(connection.createStatement("SELECT * FROM item").execute())
                .concatMap(Result::getRowsUpdated)
                .as(StepVerifier::create)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void execute_insertReturning_emitsRowsAndCount() {
        Statement insert = connection
                .createStatement("INSERT INTO item (label) VALUES (?) RETURNING id")
                .bind(0, "a");

        Flux.from(insert.execute())
                .concatMap(result -> result.flatMap(segment -> Flux.just(describe(segment))))
                .as(StepVerifier::create)
                .expectNext("row id=1", "count=1")
                .expectComplete()
                .verify(TIMEOUT);
        expectCount(connection, "item", 1);
    }

    @Test
    void createBatch_twoStatements_runsBothInOrder() {
        Flux.from(connection.createBatch()
                        .add("INSERT INTO item (id, label) VALUES (1, 'a')")
                        .add("UPDATE item SET label = 'b' WHERE id = 1")
                        .execute())
                .concatMap(Result::getRowsUpdated)
                .as(StepVerifier::create)
                .expectNext(1L, 1L)
                .expectComplete()
                .verify(TIMEOUT);
        query(connection, "SELECT label FROM item", row -> row.get(0, String.class))
                .as(StepVerifier::create)
                .expectNext("b")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void execute_sameSqlAfterAFailedRun_runsAgain() {
        String insert = "INSERT INTO item (id, label) VALUES (?, ?)";
        update(connection, insert, 1, "a").block(TIMEOUT);

        update(connection, insert, 1, "duplicate")
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("UNIQUE"))
                .verify(TIMEOUT);

        update(connection, insert, 2, "b")
                .as(StepVerifier::create)
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
        query(connection, "SELECT label FROM item ORDER BY id", row -> row.get(0, String.class))
                .as(StepVerifier::create)
                .expectNext("a", "b")
                .expectComplete()
                .verify(TIMEOUT);
    }

    /**
     * Statements stay prepared between runs; a finished query must not keep the read snapshot
     * it took, or another connection's write would never be seen and the WAL could never be
     * checkpointed back into the database file.
     */
    @Test
    void execute_queryRunAgain_seesAnotherConnectionsWriteAndHoldsNoSnapshot() {
        Connection other = database.open();
        String select = "SELECT COUNT(*) FROM item";
        update(connection, "INSERT INTO item (id) VALUES (1), (2), (3)").block(TIMEOUT);
        query(connection, select, row -> row.get(0, Long.class))
                .as(StepVerifier::create)
                .expectNext(3L)
                .expectComplete()
                .verify(TIMEOUT);

        update(other, "INSERT INTO item (id) VALUES (4)").block(TIMEOUT);

        query(connection, select, row -> row.get(0, Long.class))
                .as(StepVerifier::create)
                .expectNext(4L)
                .expectComplete()
                .verify(TIMEOUT);
        // (busy, WAL frames, frames checkpointed): busy is 1 when a reader still holds a snapshot.
        query(other, "PRAGMA wal_checkpoint(TRUNCATE)", row -> row.get(0, Long.class))
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void execute_namedColumnsAfterAColumnIsAdded_readsTheNewColumn() {
        String select = "SELECT label FROM item WHERE id = 1";
        update(connection, "INSERT INTO item (id, label) VALUES (1, 'a')").block(TIMEOUT);
        query(connection, select, row -> row.get(0, String.class)).blockLast(TIMEOUT);

        update(connection, "ALTER TABLE item ADD COLUMN extra TEXT DEFAULT 'x'").block(TIMEOUT);

        query(connection, select, row -> row.get(0, String.class))
                .as(StepVerifier::create)
                .expectNext("a")
                .expectComplete()
                .verify(TIMEOUT);
        query(connection, "SELECT label, extra FROM item WHERE id = 1",
                        row -> row.get(0, String.class) + row.get(1, String.class))
                .as(StepVerifier::create)
                .expectNext("ax")
                .expectComplete()
                .verify(TIMEOUT);
    }

    private static String describe(Result.Segment segment) {
        if (segment instanceof Result.RowSegment rows) {
            return "row id=" + rows.row().get("id", Long.class);
        }
        return "count=" + ((Result.UpdateCount) segment).value();
    }
}
