package dev.berth.storage;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.r2dbc.spi.Row;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.berth.storage.sqlite.ConnectionPool;

/** Access tokens in the registry's SQLite database, beside the metadata. */
final class SqliteAccessTokenStore implements AccessTokenStore {
    private static final String COLUMNS = "id, name, repositories, actions, secret_sha256, created_at,"
            + " expires_at, revoked_at";

    private final ConnectionPool writer;
    private final ConnectionPool readers;

    SqliteAccessTokenStore(ConnectionPool writer, ConnectionPool readers) {
        this.writer = writer;
        this.readers = readers;
    }

    @Override
    public Mono<Void> create(AccessToken token) {
        return writer.inTransaction(connection -> Sql.update(connection, "INSERT INTO access_tokens (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", token.id(), token.name(),
                        String.join("\n", token.repositories()), String.join(",", token.actions()),
                        token.secretSha256(), token.createdAt().toEpochMilli(), millis(token.expiresAt()),
                        millis(token.revokedAt())))
                .then();
    }

    @Override
    public Mono<AccessToken> find(String id) {
        return readers.withConnection(connection -> Sql.query(connection, "SELECT " + COLUMNS
                        + " FROM access_tokens WHERE id = ?", SqliteAccessTokenStore::token, id))
                .singleOrEmpty();
    }

    @Override
    public Flux<AccessToken> list() {
        return readers.withConnection(connection -> Sql.query(connection, "SELECT " + COLUMNS
                + " FROM access_tokens ORDER BY created_at, id", SqliteAccessTokenStore::token));
    }

    @Override
    public Mono<Boolean> revoke(String id, Instant when) {
        return writer.inTransaction(connection -> Sql.update(connection, "UPDATE access_tokens SET revoked_at = ?"
                        + " WHERE id = ? AND revoked_at IS NULL", when.toEpochMilli(), id))
                .singleOrEmpty()
                .map(count -> count > 0);
    }

    private static AccessToken token(Row row) {
        return new AccessToken(row.get(0, String.class), row.get(1, String.class),
                split(row.get(2, String.class), "\n"), split(row.get(3, String.class), ","),
                row.get(4, String.class), Instant.ofEpochMilli(row.get(5, Long.class)),
                instant(row.get(6, Long.class)), instant(row.get(7, Long.class)));
    }

    private static List<String> split(String text, String separator) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split(separator));
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
