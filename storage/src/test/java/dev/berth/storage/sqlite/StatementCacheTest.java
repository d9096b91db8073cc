package dev.berth.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reuse, eviction and closing of one connection's prepared statements, on a real SQLite file. */
class StatementCacheTest {
    private static final String SELECT = "SELECT v FROM item WHERE id = ?";
    private static final String INSERT = "INSERT INTO item (id, v) VALUES (?, ?)";

    @TempDir
    Path directory;

    private Connection jdbc;

    @BeforeEach
    void setUp() throws SQLException {
        jdbc = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("cache.db"));
        try (Statement statement = jdbc.createStatement()) {
            statement.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, v TEXT)");
        }
    }

    @AfterEach
    void tearDown() throws SQLException {
        jdbc.close();
    }

    @Test
    void take_afterGive_returnsTheSameStatement() throws SQLException {
        StatementCache cache = new StatementCache(jdbc, 4);
        PreparedStatement first = cache.take(SELECT);
        cache.give(SELECT, first);

        assertThat(cache.take(SELECT)).isSameAs(first);
        assertThat(cache.idleCount()).isZero();
    }

    @Test
    void take_whileTheFirstIsOut_preparesASecondStatement() throws SQLException {
        StatementCache cache = new StatementCache(jdbc, 4);
        PreparedStatement first = cache.take(SELECT);
        PreparedStatement second = cache.take(SELECT);

        assertThat(second).isNotSameAs(first);
        cache.give(SELECT, first);
        cache.give(SELECT, second);
        assertThat(cache.idleCount()).isEqualTo(1);
        assertThat(second.isClosed()).isTrue();
        assertThat(first.isClosed()).isFalse();
    }

    @Test
    void give_whenFull_closesTheLeastRecentlyUsed() throws SQLException {
        StatementCache cache = new StatementCache(jdbc, 2);
        PreparedStatement select = cache.take(SELECT);
        PreparedStatement insert = cache.take(INSERT);
        cache.give(SELECT, select);
        cache.give(INSERT, insert);
        // Using SELECT again makes INSERT the least recently used.
        cache.give(SELECT, cache.take(SELECT));

        String count = "SELECT COUNT(*) FROM item";
        cache.give(count, cache.take(count));

        assertThat(cache.idleCount()).isEqualTo(2);
        assertThat(insert.isClosed()).isTrue();
        assertThat(select.isClosed()).isFalse();
        assertThat(cache.take(SELECT)).isSameAs(select);
    }

    @Test
    void reusedStatement_runsWithNewParameters() throws SQLException {
        StatementCache cache = new StatementCache(jdbc, 4);
        for (int id = 1; id <= 3; id++) {
            PreparedStatement insert = cache.take(INSERT);
            insert.clearParameters();
            insert.setInt(1, id);
            insert.setString(2, "v" + id);
            assertThat(insert.execute()).isFalse();
            cache.give(INSERT, insert);
        }

        for (int id = 1; id <= 3; id++) {
            PreparedStatement select = cache.take(SELECT);
            select.setInt(1, id);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("v" + id);
            }
            cache.give(SELECT, select);
        }
    }

    @Test
    void close_closesIdleStatementsAndLaterGivenOnes() throws SQLException {
        StatementCache cache = new StatementCache(jdbc, 4);
        PreparedStatement idle = cache.take(SELECT);
        PreparedStatement out = cache.take(INSERT);
        cache.give(SELECT, idle);

        cache.close();
        cache.give(INSERT, out);

        assertThat(idle.isClosed()).isTrue();
        assertThat(out.isClosed()).isTrue();
        assertThat(cache.idleCount()).isZero();
    }

    @Test
    void give_pragma_closesItInsteadOfKeepingIt() throws SQLException {
        // SQLite applies many pragmas as it prepares them; a reused one could do nothing.
        StatementCache cache = new StatementCache(jdbc, 4);
        String pragma = "  pragma foreign_keys = ON";
        PreparedStatement statement = cache.take(pragma);
        statement.execute();
        cache.give(pragma, statement);

        assertThat(statement.isClosed()).isTrue();
        assertThat(cache.idleCount()).isZero();
    }

    @Test
    void zeroCapacity_keepsNothing() throws SQLException {
        StatementCache cache = new StatementCache(jdbc, 0);
        PreparedStatement statement = cache.take(SELECT);
        cache.give(SELECT, statement);

        assertThat(statement.isClosed()).isTrue();
        assertThat(cache.take(SELECT)).isNotSameAs(statement);
    }

    @Test
    void negativeCapacity_isRefused() {
        assertThatThrownBy(() -> new StatementCache(jdbc, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity: -1");
    }
}
