package dev.berth.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The prepared statements of one connection, kept for the next run of the same SQL. Preparing
 * costs SQLite a parse and a query plan, and sqlite-jdbc a handful of native calls, on every
 * statement otherwise; Berth runs the same few dozen SQL texts over and over, most of them on
 * the single writer connection, where that cost adds up for every image pushed.
 *
 * <p>A statement is taken out while it runs and given back after, so SQL run again before the
 * first run gives its statement back gets a statement of its own. Only a statement whose run
 * succeeded goes back; one that failed is closed, so no statement in an unknown state is ever
 * reused. sqlite-jdbc resets a statement before each execution, and Berth reads every result
 * to its end, so a statement resting here holds no lock and no read snapshot.
 *
 * <p>Limitation: sqlite-jdbc learns a statement's columns when it prepares it, so a cached
 * {@code SELECT *} would not show a column added to its table later. Berth names the columns it
 * reads and changes its schema only in migrations, before it serves.
 *
 * <p>Not thread-safe: used only by tasks on the connection's {@link SerialWorker}.
 */
final class StatementCache {
    /** More distinct SQL texts than Berth runs in its steady state. */
    static final int CAPACITY = 128;

    private final Connection jdbc;
    private final int capacity;
    private final LinkedHashMap<String, PreparedStatement> idle;
    private boolean closed;

    StatementCache(Connection jdbc, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: 0 or more)");
        }
        this.jdbc = jdbc;
        this.capacity = capacity;
        this.idle = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** A statement for {@code sql}: the idle one if there is one, else a newly prepared one. */
    PreparedStatement take(String sql) throws SQLException {
        PreparedStatement statement = idle.remove(sql);
        return statement != null ? statement : jdbc.prepareStatement(sql);
    }

    /**
     * Gives back a statement whose run succeeded, its parameters already cleared. It is closed
     * instead when the cache is closed, when an idle statement for the same SQL is already here,
     * or when the SQL is a {@code PRAGMA}: SQLite applies many pragmas when it prepares them, so
     * a reused one could do nothing. When the cache is full, the least recently used idle
     * statement makes room. Never throws: the run it follows has taken effect, so a failure to
     * close a statement here is logged rather than reported as the run's.
     */
    void give(String sql, PreparedStatement statement) {
        if (closed || capacity == 0 || idle.containsKey(sql) || isPragma(sql)) {
            SqliteConnection.closeQuietly(statement);
            return;
        }
        idle.put(sql, statement);
        if (idle.size() > capacity) {
            Iterator<PreparedStatement> eldest = idle.values().iterator();
            PreparedStatement evicted = eldest.next();
            eldest.remove();
            SqliteConnection.closeQuietly(evicted);
        }
    }

    private static boolean isPragma(String sql) {
        String trimmed = sql.stripLeading();
        return trimmed.regionMatches(true, 0, "PRAGMA", 0, 6);
    }

    /** Closes every idle statement; later {@link #give} calls close theirs. */
    void close() throws SQLException {
        closed = true;
        List<PreparedStatement> statements = new ArrayList<>(idle.values());
        idle.clear();
        SQLException failure = null;
        for (PreparedStatement statement : statements) {
            try {
                statement.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** How many statements rest here (tests). */
    int idleCount() {
        return idle.size();
    }
}
