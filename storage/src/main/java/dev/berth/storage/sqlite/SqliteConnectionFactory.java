package dev.berth.storage.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * Opens R2DBC connections to one SQLite database file. Every {@link #create()} opens a new
 * sqlite-jdbc connection, on the given scheduler, and sets it up for Berth:
 *
 * <ul>
 *   <li>{@code journal_mode=WAL}: readers never wait for the writer, nor the writer for them;
 *   <li>{@code synchronous=NORMAL}: safe in WAL mode, where only the last commits before a power
 *       loss can be lost, never the database;
 *   <li>{@code foreign_keys=ON}: SQLite leaves them off unless asked;
 *   <li>{@code busy_timeout=5000}: wait up to five seconds for another connection's lock;
 *   <li>sqlite-jdbc's generated keys off: with them on, the driver runs an extra query after
 *       every INSERT to find the new row id, which R2DBC callers here never ask for (they write
 *       {@code RETURNING} instead). On the writer connection that query cost more than a tenth
 *       of the thread's time while small images were pushed.
 * </ul>
 *
 * <p>The parent directory of the file is created when missing.
 */
public final class SqliteConnectionFactory implements ConnectionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteConnectionFactory.class);
    // busy_timeout comes first: switching a new database to WAL takes a lock, and two
    // connections opened at once would otherwise fail with SQLITE_BUSY instead of waiting.
    private static final List<String> PRAGMAS = List.of(
            "PRAGMA busy_timeout=5000",
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON");
    private static final ConnectionFactoryMetadata METADATA = () -> "SQLite";

    private final Path file;
    private final Scheduler scheduler;

    private SqliteConnectionFactory(Path file, Scheduler scheduler) {
        this.file = file;
        this.scheduler = scheduler;
    }

    /**
     * A factory for the database at {@code file}.
     *
     * @param file the database file; a relative path is resolved against the working directory
     * @param scheduler where blocking JDBC calls run; a bounded one, never a Netty event loop.
     *     The caller owns it and disposes it after the connections are closed.
     */
    public static ConnectionFactory create(Path file, Scheduler scheduler) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(scheduler, "scheduler");
        return new SqliteConnectionFactory(file.toAbsolutePath().normalize(), scheduler);
    }

    @Override
    public Mono<Connection> create() {
        return Mono.create(this::open);
    }

    /**
     * Opens on a new worker. Opening is never skipped: if the subscriber cancels meanwhile, the
     * connection it would have had is closed rather than leaked. Whichever of the task and the
     * cancel hook takes the opened connection out of {@code opened} closes it.
     */
    private void open(MonoSink<Connection> sink) {
        SerialWorker worker = new SerialWorker(scheduler);
        AtomicReference<SqliteConnection> opened = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        sink.onCancel(() -> {
            cancelled.set(true);
            closeUnwanted(opened.getAndSet(null));
        });
        worker.execute(() -> {
            SqliteConnection connection;
            try {
                connection = connect(worker);
            } catch (SQLException e) {
                worker.dispose();
                sink.error(SqliteExceptionFactory.translate(e, null));
                return;
            } catch (RuntimeException e) {
                worker.dispose();
                sink.error(e);
                return;
            }
            opened.set(connection);
            if (cancelled.get()) {
                closeUnwanted(opened.getAndSet(null));
            } else {
                sink.success(connection);
            }
        }, sink);
    }

    private SqliteConnection connect(SerialWorker worker) throws SQLException {
        createParent();
        SQLiteConfig config = new SQLiteConfig();
        config.setGetGeneratedKeys(false);
        java.sql.Connection jdbc = config.createConnection("jdbc:sqlite:" + file);
        try (Statement statement = jdbc.createStatement()) {
            for (String pragma : PRAGMAS) {
                statement.execute(pragma);
            }
            String version = jdbc.getMetaData().getDatabaseProductVersion();
            LOG.debug("sqlite connection opened file={} version={}", file, version);
            DB db = jdbc.unwrap(SQLiteConnection.class).getDatabase();
            return new SqliteConnection(jdbc, db, worker, version);
        } catch (SQLException | RuntimeException e) {
            jdbc.close();
            throw e;
        }
    }

    private void createParent() {
        Path parent = file.getParent();
        if (parent == null || Files.isDirectory(parent)) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new R2dbcNonTransientResourceException(
                    "cannot create the database directory " + parent, e);
        }
    }

    private static void closeUnwanted(SqliteConnection connection) {
        if (connection != null) {
            connection.close().subscribe(null, SqliteConnectionFactory::closeFailed);
        }
    }

    private static void closeFailed(Throwable error) {
        LOG.warn("sqlite connection close failed, handle left open error={}", error.toString());
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return METADATA;
    }

    @Override
    public String toString() {
        return "SqliteConnectionFactory{file=" + file + "}";
    }
}
