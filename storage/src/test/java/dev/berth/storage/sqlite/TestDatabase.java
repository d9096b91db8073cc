package dev.berth.storage.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** A throwaway SQLite file with its own scheduler, and the connections opened on it. */
final class TestDatabase implements AutoCloseable {
    /** How long any step of a test may take before it counts as hung. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String THREAD_PREFIX = "berth-sqlite-test";

    final Path file;
    final Scheduler scheduler;
    final ConnectionFactory factory;
    private final List<Connection> opened = new ArrayList<>();

    TestDatabase(Path directory) {
        this.file = directory.resolve("berth.db");
        this.scheduler = Schedulers.newBoundedElastic(4, 1_000, THREAD_PREFIX);
        this.factory = SqliteConnectionFactory.create(file, scheduler);
    }

    /** A new connection, closed with the database. */
    Connection open() {
        Connection connection = Mono.from(factory.create()).block(TIMEOUT);
        opened.add(connection);
        return connection;
    }

    /** Runs {@code sql} with positional {@code args} ({@code null} binds NULL); emits the count. */
    static Mono<Long> update(Connection connection, String sql, Object... args) {
        return Flux.from(bind(connection.createStatement(sql), args).execute())
                .concatMap(Result::getRowsUpdated)
                .reduce(0L, Long::sum);
    }

    static <T> Flux<T> query(Connection connection, String sql, Function<Row, T> mapper,
            Object... args) {
        return Flux.from(bind(connection.createStatement(sql), args).execute())
                .concatMap(result -> result.map((row, metadata) -> mapper.apply(row)));
    }

    static Mono<Long> count(Connection connection, String table) {
        return query(connection, "SELECT COUNT(*) FROM " + table, row -> row.get(0, Long.class))
                .single();
    }

    /** Asserts that {@code table} holds {@code expected} rows. */
    static void expectCount(Connection connection, String table, long expected) {
        count(connection, table)
                .as(StepVerifier::create)
                .expectNext(expected)
                .expectComplete()
                .verify(TIMEOUT);
    }

    private static Statement bind(Statement statement, Object... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                statement.bindNull(i, Object.class);
            } else {
                statement.bind(i, args[i]);
            }
        }
        return statement;
    }

    @Override
    public void close() {
        Flux.fromIterable(opened)
                .concatMap(Connection::close)
                .then()
                .block(TIMEOUT);
        scheduler.dispose();
    }
}
