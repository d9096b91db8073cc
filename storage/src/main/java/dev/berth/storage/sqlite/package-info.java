/**
 * Berth's embedded SQLite driver for R2DBC, and the small connection pool that sits on it.
 *
 * <p>No maintained R2DBC driver for SQLite is published, so Berth carries this one: the
 * {@code io.r2dbc.spi} interfaces Berth needs, over {@code org.xerial:sqlite-jdbc}.
 *
 * <h2>Opening a database</h2>
 * <ul>
 *   <li>In code: {@link dev.berth.storage.sqlite.SqliteConnectionFactory#create(java.nio.file.Path,
 *       reactor.core.scheduler.Scheduler)}.
 *   <li>By URL: {@code ConnectionFactories.get("r2dbc:sqlite:///var/lib/berth/berth.db")}. The
 *       path is always absolute, as in a {@code file:} URL; three or four slashes both work. The
 *       scheduler can be passed as the
 *       {@link dev.berth.storage.sqlite.SqliteConnectionFactoryProvider#SCHEDULER} option.
 * </ul>
 * Every connection runs in WAL mode with {@code synchronous=NORMAL}, foreign keys on and a
 * five-second busy timeout.
 *
 * <h2>Threading</h2>
 * JDBC blocks, so no JDBC call ever runs on the subscriber's thread, which may be a Netty event
 * loop. Each connection takes one worker of the injected bounded scheduler, and its calls run on
 * that worker one at a time in subscription order: one SQLite handle is never used by two threads
 * at once. Results are read whole on the worker and emitted from there.
 *
 * <h2>SQL</h2>
 * Statements take {@code ?} or {@code $1, $2, ...} placeholders (one style per statement). Values
 * bind as {@code String}, {@code Long}, {@code Integer}, {@code Short}, {@code Byte},
 * {@code Boolean} (as 1 or 0), {@code Double}, {@code Float}, {@code byte[]},
 * {@code ByteBuffer} or an {@code io.r2dbc.spi.Parameter} holding one; NULL through
 * {@code bindNull}. Rows read back as {@code Long}, {@code Double}, {@code String} or
 * {@code byte[]}, converted on request to the other types above, and column names match without
 * regard to case. Failures become R2DBC exceptions in one place, {@code SqliteExceptionFactory}.
 *
 * <h2>Pool</h2>
 * {@link dev.berth.storage.sqlite.ConnectionPool} hands out connections from any R2DBC
 * {@code ConnectionFactory} without blocking a thread, and runs work with a connection or in a
 * transaction. Berth's single writer is a pool of size 1 whose write transactions queue on it;
 * reads use a larger pool, which WAL mode lets run beside the writer.
 */
package dev.berth.storage.sqlite;
