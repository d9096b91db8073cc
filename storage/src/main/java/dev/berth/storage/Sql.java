package dev.berth.storage;

import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Small helpers over the R2DBC SPI: run one statement with positional arguments. */
final class Sql {
    private Sql() {
    }

    static <T> Flux<T> query(Connection connection, String sql, Function<Row, T> mapper, Object... args) {
        return Flux.from(bind(connection.createStatement(sql), args).execute())
                .concatMap(result -> result.map((row, metadata) -> mapper.apply(row)));
    }

    static Mono<Long> update(Connection connection, String sql, Object... args) {
        return Flux.from(bind(connection.createStatement(sql), args).execute())
                .concatMap(Result::getRowsUpdated)
                .reduce(0L, Long::sum);
    }

    /** Runs one statement once per argument row, as a batch. */
    static Mono<Long> updateEach(Connection connection, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return Mono.just(0L);
        }
        Statement statement = connection.createStatement(sql);
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                statement.add();
            }
            bind(statement, rows.get(i));
        }
        return Flux.from(statement.execute())
                .concatMap(Result::getRowsUpdated)
                .reduce(0L, Long::sum);
    }

    /** {@code ?, ?, ?} for an {@code IN} list of {@code count} values. */
    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private static Statement bind(Statement statement, Object... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                statement.bindNull(i, String.class);
            } else {
                statement.bind(i, args[i]);
            }
        }
        return statement;
    }
}
