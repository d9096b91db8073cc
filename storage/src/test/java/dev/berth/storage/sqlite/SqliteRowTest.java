package dev.berth.storage.sqlite;

import static dev.berth.storage.sqlite.TestDatabase.TIMEOUT;
import static dev.berth.storage.sqlite.TestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.NoSuchElementException;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Reading rows: conversions, names, metadata and segments. */
class SqliteRowTest {
    @TempDir
    Path directory;

    private TestDatabase database;
    private Connection connection;

    @BeforeEach
    void setUp() {
        database = new TestDatabase(directory);
        connection = database.open();
        update(connection, "CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT NOT NULL,"
                + " size INTEGER, ratio REAL, body BLOB)").block(TIMEOUT);
        update(connection, "INSERT INTO item VALUES (1, 'one', 300, 0.5, x'6869')").block(TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void get_integerColumn_convertsToEachNumericType() {
        Row row = selectRow("SELECT size FROM item");

        assertThat(row.get(0, Long.class)).isEqualTo(300L);
        assertThat(row.get(0, Integer.class)).isEqualTo(300);
        assertThat(row.get(0, Short.class)).isEqualTo((short) 300);
        assertThat(row.get(0, Double.class)).isEqualTo(300d);
        assertThat(row.get(0, Boolean.class)).isTrue();
        assertThat(row.get(0, String.class)).isEqualTo("300");
        assertThat(row.get(0)).isEqualTo(300L);
    }

    @Test
    void get_blobColumn_convertsToBytesBufferAndText() {
        Row row = selectRow("SELECT body FROM item");

        assertThat(row.get("body", byte[].class)).containsExactly('h', 'i');
        assertThat(row.get("body", ByteBuffer.class))
                .isEqualTo(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
        assertThat(row.get("body", String.class)).isEqualTo("hi");
    }

    @Test
    void get_nullValue_returnsNullForAnyType() {
        Row row = selectRow("SELECT NULL AS absent");

        assertThat(row.get("absent", Long.class)).isNull();
        assertThat(row.get("absent", byte[].class)).isNull();
        assertThat(row.get(0)).isNull();
    }

    @Test
    void get_nameInOtherCase_findsColumn() {
        Row row = selectRow("SELECT label AS Label FROM item");

        assertThat(row.get("LABEL", String.class)).isEqualTo("one");
        assertThat(row.get("label", String.class)).isEqualTo("one");
        assertThat(row.getMetadata().contains("lAbEl")).isTrue();
    }

    @Test
    void get_missingColumnName_throwsNoSuchElement() {
        Row row = selectRow("SELECT label FROM item");

        assertThatThrownBy(() -> row.get("size", Long.class))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("column: size");
        assertThatThrownBy(() -> row.getMetadata().getColumnMetadata("size"))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void get_indexPastLastColumn_throwsIndexOutOfBounds() {
        Row row = selectRow("SELECT label FROM item");

        assertThatThrownBy(() -> row.get(1, String.class))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> row.getMetadata().getColumnMetadata(-1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void get_valueOutOfRangeOrWrongKind_throwsIllegalArgument() {
        Row row = selectRow("SELECT 70000 AS big, 'abc' AS text, 1.5 AS half");

        assertThatThrownBy(() -> row.get("big", Short.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column big");
        assertThatThrownBy(() -> row.get("text", Long.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> row.get("half", Long.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getMetadata_tableColumns_reportNamesAndAffinities() {
        RowMetadata metadata = selectRow("SELECT id, label, ratio, body FROM item").getMetadata();

        assertThat(metadata.getColumnMetadatas()).extracting(column -> column.getName())
                .containsExactly("id", "label", "ratio", "body");
        assertThat(metadata.getColumnMetadatas())
                .extracting(column -> column.getJavaType().getSimpleName())
                .containsExactly("Long", "String", "Double", "byte[]");
        assertThat(metadata.getColumnMetadata("label").getNativeTypeMetadata()).isEqualTo("TEXT");
    }

    @Test
    void map_readableFunction_emitsEveryRow() {
        update(connection, "INSERT INTO item (id, label) VALUES (2, 'two')").block(TIMEOUT);

        execute("SELECT label FROM item ORDER BY id")
                .concatMap(result -> result.map(readable -> readable.get(0, String.class)))
                .as(StepVerifier::create)
                .expectNext("one", "two")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void filter_onlyUpdateCounts_dropsRows() {
        execute("UPDATE item SET size = 1 RETURNING id")
                .map(result -> result.filter(Result.UpdateCount.class::isInstance))
                .concatMap(result -> result.flatMap(segment -> Mono.just(count(segment))))
                .as(StepVerifier::create)
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    private static long count(Result.Segment segment) {
        return ((Result.UpdateCount) segment).value();
    }

    private Row selectRow(String sql) {
        return execute(sql)
                .concatMap(result -> result.map((row, metadata) -> row))
                .single()
                .block(TIMEOUT);
    }

    private Flux<Result> execute(String sql) {
        return Flux.from(connection.createStatement(sql).execute());
    }
}
