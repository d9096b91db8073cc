package dev.berth.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.sqlite.core.DB;
import reactor.core.publisher.Flux;

/**
 * One SQL statement with its bindings. Each {@link #add()} closes a set of bindings; {@link
 * #execute()} runs every set in order, within one task on the connection's worker, and emits one
 * {@link Result} per set.
 *
 * <p>Limitation: {@link #returnGeneratedValues(String...)} is not supported; write a
 * {@code RETURNING} clause, whose rows come back like a query's. Only the first statement of
 * multi-statement SQL runs.
 */
final class SqliteStatement implements Statement {
    private final SqliteConnection connection;
    private final String sql;
    private final ParsedSql parsed;
    private final List<Object[]> added = new ArrayList<>();
    private Object[] current;

    SqliteStatement(SqliteConnection connection, String sql) {
        this.connection = connection;
        this.sql = sql;
        this.parsed = ParsedSql.parse(sql);
        this.current = new Object[parsed.parameterCount()];
    }

    @Override
    public SqliteStatement add() {
        added.add(complete(current));
        current = new Object[parsed.parameterCount()];
        return this;
    }

    @Override
    public SqliteStatement bind(int index, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(
                    "value: null (expected: a value; bind NULL with bindNull)");
        }
        current[checkIndex(index)] = SqliteCodecs.encode(value);
        return this;
    }

    @Override
    public SqliteStatement bind(String name, Object value) {
        return bind(indexOf(name), value);
    }

    @Override
    public SqliteStatement bindNull(int index, Class<?> type) {
        if (type == null) {
            throw new IllegalArgumentException(
                    "type: null (expected: the class of the NULL value)");
        }
        current[checkIndex(index)] = SqliteCodecs.NULL;
        return this;
    }

    @Override
    public SqliteStatement bindNull(String name, Class<?> type) {
        return bindNull(indexOf(name), type);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when a parameter of a binding set has no value
     */
    @Override
    public Flux<Result> execute() {
        List<Object[]> runs = new ArrayList<>(added);
        if (runs.isEmpty() || anyBound(current)) {
            runs.add(complete(current));
        }
        return connection.execute(sql, (jdbc, db) -> run(db, runs))
                .flatMapIterable(results -> results);
    }

    @Override
    public SqliteStatement returnGeneratedValues(String... columns) {
        throw new UnsupportedOperationException(
                "returnGeneratedValues (expected: a RETURNING clause in the SQL)");
    }

    private List<Result> run(DB db, List<Object[]> runs) throws SQLException {
        List<Result> results = new ArrayList<>(runs.size());
        StatementCache statements = connection.statements();
        PreparedStatement prepared = statements.take(parsed.jdbcSql());
        boolean succeeded = false;
        try {
            for (Object[] values : runs) {
                prepared.clearParameters();
                for (int i = 0; i < values.length; i++) {
                    SqliteCodecs.bind(prepared, i + 1, values[i]);
                }
                long changesBefore = db.total_changes();
                boolean hasRows = prepared.execute();
                results.add(SqliteResult.read(prepared, hasRows, db, changesBefore));
            }
            // A resting statement must not keep the last values alive (a manifest is up to 4 MiB).
            prepared.clearParameters();
            succeeded = true;
        } finally {
            if (succeeded) {
                statements.give(parsed.jdbcSql(), prepared);
            } else {
                SqliteConnection.closeQuietly(prepared);
            }
        }
        return results;
    }

    private Object[] complete(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalStateException("parameter " + i + " ($" + (i + 1)
                        + ") has no value (expected: every parameter bound, NULL by bindNull)");
            }
        }
        return values;
    }

    private static boolean anyBound(Object[] values) {
        for (Object value : values) {
            if (value != null) {
                return true;
            }
        }
        return false;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= current.length) {
            String expected = current.length == 0
                    ? "none, the SQL has no placeholders"
                    : "0.." + (current.length - 1);
            throw new IndexOutOfBoundsException("parameter index: " + index
                    + " (expected: " + expected + ")");
        }
        return index;
    }

    /** A name is {@code $n}, meaning index {@code n - 1}, in either placeholder style. */
    private int indexOf(String name) {
        if (name == null) {
            throw new IllegalArgumentException("parameter name: null (expected: $1, $2, ...)");
        }
        if (name.length() > 1 && name.length() < 7 && name.charAt(0) == '$'
                && name.substring(1).chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(name.substring(1)) - 1;
            if (index >= 0 && index < current.length) {
                return index;
            }
        }
        throw new NoSuchElementException("parameter name: " + name
                + " (expected: $1 to $" + current.length + ")");
    }

    @Override
    public String toString() {
        return "SqliteStatement{sql=" + sql + "}";
    }
}
