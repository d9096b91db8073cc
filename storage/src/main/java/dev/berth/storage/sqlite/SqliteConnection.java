package dev.berth.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.core.DB;
import reactor.core.publisher.Mono;

/**
 * An R2DBC connection over one sqlite-jdbc connection. Every JDBC call goes through the
 * connection's {@link SerialWorker}, so calls run one at a time, in subscription order, on the
 * injected scheduler.
 *
 * <p>The JDBC connection itself always stays in JDBC auto-commit mode: sqlite-jdbc would start
 * the next transaction as soon as one commits, holding SQLite's write lock between units of
 * work. Transactions are driven with SQL instead: {@link #beginTransaction()} runs
 * {@code BEGIN IMMEDIATE}, which takes the write lock up front, so two writers never deadlock
 * trying to upgrade a read lock. After {@code setAutoCommit(false)} the next statement begins a
 * transaction the same way.
 *
 * <p>Limitation: transactions begun or ended with SQL text ({@code BEGIN}, {@code COMMIT}) rather
 * than these methods are invisible to {@link #isAutoCommit()} and to the pool. SERIALIZABLE is
 * the only isolation level; {@link #setStatementTimeout(Duration)} accepts only zero, because
 * SQLite has no statement timeout; a transaction's lock wait timeout and name are ignored.
 */
final class SqliteConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteConnection.class);
    private static final String BEGIN_WRITE = "BEGIN IMMEDIATE";
    private static final String BEGIN_READ = "BEGIN DEFERRED";

    private final java.sql.Connection jdbc;
    private final DB db;
    private final SerialWorker worker;
    private final StatementCache statements;
    private final ConnectionMetadata metadata;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether statements commit on their own, as set by {@link #setAutoCommit(boolean)}. */
    private volatile boolean autoCommit = true;
    /** Whether a transaction is open. Written only by tasks on the worker. */
    private volatile boolean inTransaction;

    SqliteConnection(java.sql.Connection jdbc, DB db, SerialWorker worker, String version) {
        this.jdbc = jdbc;
        this.db = db;
        this.worker = worker;
        this.statements = new StatementCache(jdbc, StatementCache.CAPACITY);
        this.metadata = new Metadata(version);
    }

    /** Runs statement work on the worker, first beginning a transaction if auto-commit is off. */
    <T> Mono<T> execute(String sql, StatementWork<T> work) {
        return call(sql, () -> {
            if (!autoCommit && !inTransaction) {
                runSql(BEGIN_WRITE);
                inTransaction = true;
            }
            return work.run(jdbc, db);
        });
    }

    /** This connection's prepared statements; only for statement work running on the worker. */
    StatementCache statements() {
        return statements;
    }

    @Override
    public Mono<Void> beginTransaction() {
        return begin(BEGIN_WRITE);
    }

    /**
     * Begins a transaction. A read-only definition begins with {@code BEGIN DEFERRED}, which takes
     * no write lock until the first write; any other begins with {@code BEGIN IMMEDIATE}.
     *
     * <p>Limitation: read-only is not enforced; a write inside a deferred transaction still runs.
     */
    @Override
    public Mono<Void> beginTransaction(TransactionDefinition definition) {
        IsolationLevel level = definition.getAttribute(TransactionDefinition.ISOLATION_LEVEL);
        if (level != null && !IsolationLevel.SERIALIZABLE.equals(level)) {
            return Mono.error(unsupportedIsolation(level));
        }
        Boolean readOnly = definition.getAttribute(TransactionDefinition.READ_ONLY);
        return begin(Boolean.TRUE.equals(readOnly) ? BEGIN_READ : BEGIN_WRITE);
    }

    private Mono<Void> begin(String sql) {
        return call(sql, () -> {
            runSql(sql);
            inTransaction = true;
            return null;
        });
    }

    /** Commits the open transaction; does nothing when none is open. */
    @Override
    public Mono<Void> commitTransaction() {
        return call("COMMIT", () -> {
            if (inTransaction) {
                // On failure (SQLITE_BUSY) the transaction stays open, ready for a rollback.
                runSql("COMMIT");
                inTransaction = false;
            }
            return null;
        });
    }

    /** Rolls back the open transaction; does nothing when none is open. */
    @Override
    public Mono<Void> rollbackTransaction() {
        return call("ROLLBACK", () -> {
            if (inTransaction) {
                rollback();
                inTransaction = false;
            }
            return null;
        });
    }

    private void rollback() throws SQLException {
        try {
            runSql("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, ...), after
            // which there is nothing left to roll back: the goal is reached.
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                throw e;
            }
        }
    }

    @Override
    public SqliteBatch createBatch() {
        return new SqliteBatch(this);
    }

    /** Creates a savepoint, first running {@code BEGIN IMMEDIATE} if no transaction is open. */
    @Override
    public Mono<Void> createSavepoint(String name) {
        String sql = "SAVEPOINT " + quote(name);
        return call(sql, () -> {
            if (!inTransaction) {
                runSql(BEGIN_WRITE);
                inTransaction = true;
            }
            runSql(sql);
            return null;
        });
    }

    @Override
    public Mono<Void> releaseSavepoint(String name) {
        return runAlone("RELEASE SAVEPOINT " + quote(name));
    }

    @Override
    public Mono<Void> rollbackTransactionToSavepoint(String name) {
        return runAlone("ROLLBACK TO SAVEPOINT " + quote(name));
    }

    @Override
    public SqliteStatement createStatement(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("sql: " + sql + " (expected: one SQL statement)");
        }
        return new SqliteStatement(this, sql);
    }

    /** {@code true} when statements commit on their own: auto-commit on and no transaction open. */
    @Override
    public boolean isAutoCommit() {
        return autoCommit && !inTransaction;
    }

    /** Switches auto-commit; switching it on commits an open transaction, as in JDBC. */
    @Override
    public Mono<Void> setAutoCommit(boolean enabled) {
        return call("COMMIT", () -> {
            autoCommit = enabled;
            if (enabled && inTransaction) {
                runSql("COMMIT");
                inTransaction = false;
            }
            return null;
        });
    }

    @Override
    public ConnectionMetadata getMetadata() {
        return metadata;
    }

    @Override
    public IsolationLevel getTransactionIsolationLevel() {
        return IsolationLevel.SERIALIZABLE;
    }

    @Override
    public Mono<Void> setTransactionIsolationLevel(IsolationLevel level) {
        if (IsolationLevel.SERIALIZABLE.equals(level)) {
            return Mono.empty();
        }
        return Mono.error(unsupportedIsolation(level));
    }

    /** Sets SQLite's busy timeout: how long a statement waits for another connection's lock. */
    @Override
    public Mono<Void> setLockWaitTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            return Mono.error(new IllegalArgumentException("lock wait timeout: " + timeout
                    + " (expected: zero or positive)"));
        }
        long millis = Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        return runAlone("PRAGMA busy_timeout = " + millis);
    }

    @Override
    public Mono<Void> setStatementTimeout(Duration timeout) {
        if (Duration.ZERO.equals(timeout)) {
            return Mono.empty();
        }
        return Mono.error(new UnsupportedOperationException("statement timeout: " + timeout
                + " (expected: PT0S; SQLite has no statement timeout)"));
    }

    /** LOCAL checks that the connection is open; REMOTE also runs {@code SELECT 1}. */
    @Override
    public Mono<Boolean> validate(ValidationDepth depth) {
        if (closed.get()) {
            return Mono.just(false);
        }
        if (depth == ValidationDepth.LOCAL) {
            return Mono.just(true);
        }
        return call("SELECT 1", () -> {
            runSql("SELECT 1");
            return true;
        }).onErrorReturn(false);
    }

    /** Closes the JDBC connection after the work already queued; an open transaction rolls back. */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> closed.compareAndSet(false, true)
                ? worker.shutdown(this::closeJdbc)
                : Mono.empty());
    }

    private Void closeJdbc() throws SQLException {
        inTransaction = false;
        try {
            statements.close();
        } finally {
            jdbc.close();
        }
        return null;
    }

    private <T> Mono<T> call(String sql, SerialWorker.JdbcCall<T> call) {
        return Mono.defer(() -> closed.get()
                ? Mono.error(SqliteExceptionFactory.closed())
                : worker.call(call, sql));
    }

    private Mono<Void> runAlone(String sql) {
        return call(sql, () -> {
            runSql(sql);
            return null;
        });
    }

    /**
     * Runs SQL without parameters (transaction control, pragmas) on a cached statement. A run
     * that produced rows, which nothing here reads, closes its statement rather than leave an
     * unfinished one in the cache.
     */
    private void runSql(String sql) throws SQLException {
        PreparedStatement statement = statements.take(sql);
        Boolean hasRows = null;
        try {
            hasRows = statement.execute();
        } finally {
            if (hasRows == null || hasRows) {
                closeQuietly(statement);
            } else {
                statements.give(sql, statement);
            }
        }
    }

    /**
     * Closes a statement that will not be reused. A run that failed has its own failure to
     * report, and one that succeeded has taken effect, so a failure to close is only logged.
     */
    static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("closing a failed statement failed error={}", e.toString());
        }
    }

    private static String quote(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("savepoint name: " + name
                    + " (expected: a non-empty name)");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static UnsupportedOperationException unsupportedIsolation(IsolationLevel level) {
        return new UnsupportedOperationException("isolation level: " + level
                + " (expected: SERIALIZABLE, the only level SQLite offers)");
    }

    @Override
    public String toString() {
        return "SqliteConnection{closed=" + closed.get() + ", inTransaction=" + inTransaction + "}";
    }

    /** Statement work, run on the worker with the JDBC connection and its SQLite handle. */
    @FunctionalInterface
    interface StatementWork<T> {
        T run(java.sql.Connection jdbc, DB db) throws SQLException;
    }

    private record Metadata(String version) implements ConnectionMetadata {
        @Override
        public String getDatabaseProductName() {
            return "SQLite";
        }

        @Override
        public String getDatabaseVersion() {
            return version;
        }
    }
}
