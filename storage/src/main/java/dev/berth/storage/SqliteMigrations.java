package dev.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Brings a database to the newest schema. Migrations are numbered SQL files under
 * {@code migrations/sqlite/}; each runs in its own transaction together with the row recording
 * its version, so a crash mid-migration leaves the previous version intact.
 */
final class SqliteMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteMigrations.class);

    /** Every migration, in order. A new file is added here and never edited once released. */
    static final List<String> FILES = List.of("V1__registry.sql", "V2__access_tokens.sql",
            "V3__blob_deletions.sql");

    private SqliteMigrations() {
    }

    /** Applies every migration newer than the recorded version, each in its own transaction. */
    static Mono<Integer> apply(Connection connection, Clock clock) {
        return Sql.update(connection, "CREATE TABLE IF NOT EXISTS schema_version ("
                        + "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
                .thenMany(Sql.query(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                        row -> row.get(0, Integer.class)))
                .single()
                .flatMap(current -> applyFrom(connection, clock, current));
    }

    private static Mono<Integer> applyFrom(Connection connection, Clock clock, int current) {
        return Flux.range(current + 1, Math.max(0, FILES.size() - current))
                .concatMap(version -> applyOne(connection, clock, version))
                .last(current);
    }

    private static Mono<Integer> applyOne(Connection connection, Clock clock, int version) {
        List<String> statements = statements(read(FILES.get(version - 1)));
        return Mono.from(connection.beginTransaction())
                .thenMany(Flux.fromIterable(statements).concatMap(sql -> Sql.update(connection, sql)))
                .then(Sql.update(connection, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                        version, clock.millis()))
                .then(Mono.from(connection.commitTransaction()))
                .onErrorResume(error -> Mono.from(connection.rollbackTransaction()).then(Mono.error(error)))
                .doOnSuccess(ignored -> LOG.info("migration applied version={} file={}",
                        version, FILES.get(version - 1)))
                .thenReturn(version);
    }

    private static String read(String file) {
        try (InputStream in = SqliteMigrations.class.getResourceAsStream("migrations/sqlite/" + file)) {
            if (in == null) {
                throw new IllegalStateException("migration missing from the jar: " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a migration into statements: comment lines dropped, then split at {@code ;}. */
    static List<String> statements(String script) {
        StringBuilder code = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : code.toString().split(";")) {
            if (!part.isBlank()) {
                statements.add(part.strip());
            }
        }
        return statements;
    }
}
