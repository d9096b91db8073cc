package dev.berth.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Result;
import org.sqlite.core.DB;
import reactor.core.publisher.Flux;

/** SQL statements without parameters, run in order within one task; one {@link Result} each. */
final class SqliteBatch implements Batch {
    private final SqliteConnection connection;
    private final List<String> statements = new ArrayList<>();

    SqliteBatch(SqliteConnection connection) {
        this.connection = connection;
    }

    @Override
    public SqliteBatch add(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("sql: " + sql + " (expected: one SQL statement)");
        }
        statements.add(sql);
        return this;
    }

    @Override
    public Flux<Result> execute() {
        List<String> batch = List.copyOf(statements);
        return connection.execute(String.join("; ", batch), (jdbc, db) -> run(jdbc, db, batch))
                .flatMapIterable(results -> results);
    }

    private static List<Result> run(Connection jdbc, DB db, List<String> batch)
            throws SQLException {
        List<Result> results = new ArrayList<>(batch.size());
        try (Statement statement = jdbc.createStatement()) {
            for (String sql : batch) {
                long changesBefore = db.total_changes();
                boolean hasRows = statement.execute(sql);
                results.add(SqliteResult.read(statement, hasRows, db, changesBefore));
            }
        }
        return results;
    }
}
