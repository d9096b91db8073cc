package dev.berth.storage.sqlite;

import java.io.File;
import java.nio.file.Path;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;
import io.r2dbc.spi.Option;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Lets {@code ConnectionFactories.get("r2dbc:sqlite:///var/lib/berth/berth.db")} find this
 * driver. Registered in {@code META-INF/services/io.r2dbc.spi.ConnectionFactoryProvider}.
 *
 * <p>The path after {@code r2dbc:sqlite://} is always absolute, as in a {@code file:} URL:
 * {@code r2dbc:sqlite:///data/berth.db} and {@code r2dbc:sqlite:////data/berth.db} both name
 * {@code /data/berth.db}. (The R2DBC URL parser drops the slash that starts the path, so it is
 * put back here.) A host, a protocol or a relative path is not accepted; code that has a
 * {@link Path} calls {@link SqliteConnectionFactory#create(Path, Scheduler)} instead.
 *
 * <p>Blocking JDBC calls run on the {@link #SCHEDULER} option when it is set
 * programmatically, for example
 * {@code ConnectionFactoryOptions.parse(url).mutate().option(SCHEDULER, scheduler).build()}.
 * Otherwise each {@link #create} makes its own bounded-elastic scheduler named
 * {@code berth-sqlite} with daemon threads.
 *
 * <p>Limitation: a scheduler the provider made is never disposed; its idle threads end after
 * 60 seconds, but it lives until the process exits.
 */
public final class SqliteConnectionFactoryProvider implements ConnectionFactoryProvider {
    /** The driver name in {@code r2dbc:sqlite:...} URLs. */
    public static final String DRIVER = "sqlite";

    /** The scheduler for blocking JDBC calls; it can only be set programmatically. */
    public static final Option<Scheduler> SCHEDULER = Option.valueOf("scheduler");

    private static final String SCHEDULER_NAME = "berth-sqlite";
    private static final int THREAD_TTL_SECONDS = 60;

    /** Called by {@link java.util.ServiceLoader}. */
    public SqliteConnectionFactoryProvider() {
    }

    @Override
    public ConnectionFactory create(ConnectionFactoryOptions options) {
        return SqliteConnectionFactory.create(databasePath(options), scheduler(options));
    }

    @Override
    public boolean supports(ConnectionFactoryOptions options) {
        return DRIVER.equals(options.getValue(ConnectionFactoryOptions.DRIVER));
    }

    @Override
    public String getDriver() {
        return DRIVER;
    }

    static Path databasePath(ConnectionFactoryOptions options) {
        reject(options, ConnectionFactoryOptions.HOST);
        reject(options, ConnectionFactoryOptions.PROTOCOL);
        Object database = options.getValue(ConnectionFactoryOptions.DATABASE);
        if (database == null || database.toString().isBlank()) {
            throw new IllegalArgumentException("database: " + database
                    + " (expected: a file path, as in r2dbc:sqlite:///data/berth.db)");
        }
        Path path = Path.of(database.toString());
        return path.isAbsolute() ? path : Path.of(File.separator + database);
    }

    private static Scheduler scheduler(ConnectionFactoryOptions options) {
        Object value = options.getValue(SCHEDULER);
        if (value == null) {
            return Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
                    Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, SCHEDULER_NAME,
                    THREAD_TTL_SECONDS, true);
        }
        if (value instanceof Scheduler scheduler) {
            return scheduler;
        }
        throw new IllegalArgumentException("scheduler: " + value
                + " (expected: a reactor Scheduler, set programmatically rather than in the URL)");
    }

    private static void reject(ConnectionFactoryOptions options, Option<?> option) {
        Object value = options.getValue(option);
        if (value != null) {
            throw new IllegalArgumentException(option.name() + ": " + value
                    + " (expected: none, as in r2dbc:sqlite:///data/berth.db)");
        }
    }
}
