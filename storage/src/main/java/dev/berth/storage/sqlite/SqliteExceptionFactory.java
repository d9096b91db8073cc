package dev.berth.storage.sqlite;

import java.sql.SQLException;
import java.util.List;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The one table from SQLite failures to R2DBC exceptions.
 *
 * <table>
 *   <caption>SQLite result code to exception</caption>
 *   <tr><th>SQLite</th><th>R2DBC</th></tr>
 *   <tr><td>{@code SQLITE_CONSTRAINT*}</td>
 *       <td>{@link R2dbcDataIntegrityViolationException}</td></tr>
 *   <tr><td>{@code SQLITE_BUSY*}, {@code SQLITE_LOCKED*}</td>
 *       <td>{@link R2dbcTransientResourceException}</td></tr>
 *   <tr><td>{@code SQLITE_ERROR} naming bad SQL</td><td>{@link R2dbcBadGrammarException}</td></tr>
 *   <tr><td>anything else</td><td>{@link R2dbcNonTransientResourceException}</td></tr>
 * </table>
 *
 * <p>Every exception keeps SQLite's message, the SQL it ran, the extended result code as its
 * error code (for example 2067 for {@code SQLITE_CONSTRAINT_UNIQUE}) and the JDBC exception as
 * its cause. SQLite has no SQLSTATE, so that stays {@code null}.
 */
final class SqliteExceptionFactory {
    /** How SQLite words the {@code SQLITE_ERROR} messages that mean the SQL itself is wrong. */
    private static final List<String> GRAMMAR_MESSAGES = List.of(
            "syntax error",
            "incomplete input",
            "unrecognized token",
            "no such table",
            "no such column",
            "no such function",
            "ambiguous column name",
            "has no column named",
            "already exists");

    private SqliteExceptionFactory() {
    }

    static R2dbcException translate(SQLException e, String sql) {
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        String name = code == null ? "" : code.name();
        int errorCode = code == null ? e.getErrorCode() : code.code;
        String message = e.getMessage();

        if (name.startsWith("SQLITE_CONSTRAINT")) {
            return new R2dbcDataIntegrityViolationException(message, null, errorCode, sql, e);
        }
        if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED")) {
            return new R2dbcTransientResourceException(message, null, errorCode, sql, e);
        }
        if (code == SQLiteErrorCode.SQLITE_ERROR && namesBadSql(message)) {
            return new R2dbcBadGrammarException(message, null, errorCode, sql, e);
        }
        return new R2dbcNonTransientResourceException(message, null, errorCode, sql, e);
    }

    /** The failure for work sent to a connection that has been closed. */
    static R2dbcNonTransientResourceException closed() {
        return new R2dbcNonTransientResourceException("sqlite connection is closed");
    }

    private static boolean namesBadSql(String message) {
        if (message == null) {
            return false;
        }
        for (String phrase : GRAMMAR_MESSAGES) {
            if (message.contains(phrase)) {
                return true;
            }
        }
        return false;
    }
}
