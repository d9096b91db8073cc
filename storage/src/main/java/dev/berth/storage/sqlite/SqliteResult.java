package dev.berth.storage.sqlite;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.r2dbc.spi.Nullability;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.reactivestreams.Publisher;
import org.sqlite.core.DB;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The outcome of one statement run: its rows, then its update count when it changed any.
 *
 * <p>Limitation: every row is read into memory on the scheduler before the result is emitted,
 * so a query's whole answer must fit in the heap. Berth's metadata rows are small and a
 * manifest is at most 4 MiB; a query over unbounded data must page with {@code LIMIT}.
 */
final class SqliteResult implements Result {
    private final List<Segment> segments;

    private SqliteResult(List<Segment> segments) {
        this.segments = segments;
    }

    /**
     * Reads what a JDBC statement just produced. {@code changesBefore} is SQLite's
     * {@code total_changes()} from before the run: sqlite-jdbc reports the count of the last
     * INSERT, UPDATE or DELETE even after DDL or {@code BEGIN}, so a run that changed nothing
     * must be recognised here and reported as 0.
     */
    static SqliteResult read(Statement statement, boolean hasRows, DB db, long changesBefore)
            throws SQLException {
        List<Segment> segments = new ArrayList<>();
        if (hasRows) {
            try (ResultSet rows = statement.getResultSet()) {
                readRows(rows, segments);
            }
        }
        boolean changed = db.total_changes() != changesBefore;
        if (!hasRows || changed) {
            segments.add(new Count(changed ? db.changes() : 0));
        }
        return new SqliteResult(segments);
    }

    private static void readRows(ResultSet rows, List<Segment> segments) throws SQLException {
        SqliteRowMetadata metadata = null;
        while (rows.next()) {
            if (metadata == null) {
                // sqlite-jdbc names an expression's type after the current row's value.
                metadata = metadata(rows.getMetaData());
            }
            Object[] values = new Object[metadata.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = SqliteCodecs.normalize(rows.getObject(i + 1));
            }
            segments.add(new RowData(new SqliteRow(metadata, values)));
        }
    }

    private static SqliteRowMetadata metadata(ResultSetMetaData jdbc) throws SQLException {
        List<SqliteColumnMetadata> columns = new ArrayList<>(jdbc.getColumnCount());
        for (int i = 1; i <= jdbc.getColumnCount(); i++) {
            String declared = jdbc.getColumnTypeName(i);
            columns.add(new SqliteColumnMetadata(jdbc.getColumnLabel(i),
                    SqliteType.ofDeclared(declared), declared, nullability(jdbc.isNullable(i))));
        }
        return new SqliteRowMetadata(columns);
    }

    private static Nullability nullability(int jdbc) {
        if (jdbc == ResultSetMetaData.columnNoNulls) {
            return Nullability.NON_NULL;
        }
        if (jdbc == ResultSetMetaData.columnNullable) {
            return Nullability.NULLABLE;
        }
        return Nullability.UNKNOWN;
    }

    @Override
    public Mono<Long> getRowsUpdated() {
        long total = 0;
        boolean counted = false;
        for (Segment segment : segments) {
            if (segment instanceof UpdateCount count) {
                total += count.value();
                counted = true;
            }
        }
        return counted ? Mono.just(total) : Mono.empty();
    }

    @Override
    public <T> Flux<T> map(BiFunction<Row, RowMetadata, ? extends T> mapper) {
        return rows().map(row -> mapper.apply(row, row.getMetadata()));
    }

    @Override
    public <T> Flux<T> map(Function<? super Readable, ? extends T> mapper) {
        return rows().map(mapper);
    }

    @Override
    public SqliteResult filter(Predicate<Segment> predicate) {
        return new SqliteResult(segments.stream().filter(predicate).toList());
    }

    @Override
    public <T> Flux<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mapper) {
        return Flux.fromIterable(segments).concatMap(mapper);
    }

    private Flux<Row> rows() {
        return Flux.fromIterable(segments)
                .filter(RowSegment.class::isInstance)
                .map(segment -> ((RowSegment) segment).row());
    }

    @Override
    public String toString() {
        return "SqliteResult{segments=" + segments.size() + "}";
    }

    /** A row of the result. */
    private record RowData(Row row) implements RowSegment {
    }

    /** How many rows the statement inserted, updated or deleted. */
    private record Count(long value) implements UpdateCount {
    }
}
