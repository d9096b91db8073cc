package dev.berth.storage.sqlite;

import static dev.berth.storage.sqlite.TestDatabase.TIMEOUT;
import static dev.berth.storage.sqlite.TestDatabase.expectCount;
import static dev.berth.storage.sqlite.TestDatabase.query;
import static dev.berth.storage.sqlite.TestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Opening connections: discovery by URL, the pragmas, metadata and where JDBC runs. */
class SqliteConnectionFactoryTest {
    @TempDir
    Path directory;

    private TestDatabase database;

    @BeforeEach
    void setUp() {
        database = new TestDatabase(directory);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void connectionFactoriesGet_absolutePathUrl_opensThatFile() {
        Path file = directory.resolve("by-url.db").toAbsolutePath();
        ConnectionFactory factory = ConnectionFactories.get(ConnectionFactoryOptions
                .parse("r2dbc:sqlite:///" + file)
                .mutate()
                .option(SqliteConnectionFactoryProvider.SCHEDULER, database.scheduler)
                .build());

        Mono.usingWhen(factory.create(), connection -> update(connection, "CREATE TABLE t (x)"),
                        Connection::close)
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(factory.getMetadata().getName()).isEqualTo("SQLite");
        assertThat(file).isRegularFile();
    }

    @Test
    void connectionFactoriesGet_urlWithoutScheduler_opensWithOwnScheduler() {
        Path file = directory.resolve("own.db").toAbsolutePath();
        ConnectionFactory factory = ConnectionFactories.get("r2dbc:sqlite:///" + file);

        Mono.usingWhen(factory.create(), connection -> query(connection, "SELECT 1",
                        row -> Thread.currentThread().getName()).single(), Connection::close)
                .as(StepVerifier::create)
                .assertNext(thread -> assertThat(thread).startsWith("berth-sqlite-"))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void databasePath_threeOrFourSlashes_isAbsolute() {
        Path three = SqliteConnectionFactoryProvider.databasePath(
                ConnectionFactoryOptions.parse("r2dbc:sqlite:///data/berth.db"));
        Path four = SqliteConnectionFactoryProvider.databasePath(
                ConnectionFactoryOptions.parse("r2dbc:sqlite:////data/berth.db"));

        assertThat(three).isEqualTo(Path.of("/data/berth.db")).isEqualTo(four);
    }

    @Test
    void create_urlWithHost_throwsIllegalArgument() {
        ConnectionFactoryOptions options =
                ConnectionFactoryOptions.parse("r2dbc:sqlite://host/data/berth.db");

        assertThat(new SqliteConnectionFactoryProvider().supports(options)).isTrue();
        assertThatThrownBy(() -> new SqliteConnectionFactoryProvider().create(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host: host");
    }

    @Test
    void create_newConnection_appliesPragmas() {
        Connection connection = database.open();

        assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(connection, "synchronous")).isEqualTo("1");
        assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
        assertThat(pragma(connection, "busy_timeout")).isEqualTo("5000");
    }

    @Test
    void create_missingParentDirectory_createsIt() {
        Path file = directory.resolve("nested/deeper/berth.db");
        ConnectionFactory factory = SqliteConnectionFactory.create(file, database.scheduler);

        Mono.usingWhen(factory.create(), connection -> update(connection, "CREATE TABLE t (x)"),
                        Connection::close)
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(Files.isRegularFile(file)).isTrue();
    }

    @Test
    void getMetadata_connection_namesSqliteAndVersion() {
        Connection connection = database.open();

        assertThat(connection.getMetadata().getDatabaseProductName()).isEqualTo("SQLite");
        assertThat(connection.getMetadata().getDatabaseVersion()).matches("3\\.\\d+\\.\\d+");
    }

    @Test
    void execute_subscribedOnTestThread_runsOnSchedulerThread() {
        Connection connection = database.open();
        String subscriber = Thread.currentThread().getName();

        Flux.from(connection.createStatement("SELECT 1").execute())
                .map(result -> Thread.currentThread().getName())
                .as(StepVerifier::create)
                .assertNext(thread -> assertThat(thread)
                        .startsWith(TestDatabase.THREAD_PREFIX)
                        .isNotEqualTo(subscriber))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void execute_manyAtOnceOnOneConnection_runOneAtATimeOnOneThread() {
        Connection connection = database.open();
        update(connection, "CREATE TABLE item (id INTEGER PRIMARY KEY)").block(TIMEOUT);
        Set<String> threads = ConcurrentHashMap.newKeySet();

        Flux.range(1, 200)
                .flatMap(id -> update(connection, "INSERT INTO item VALUES (?)", id)
                        .doOnNext(inserted -> threads.add(Thread.currentThread().getName())), 64)
                .reduce(0L, Long::sum)
                .as(StepVerifier::create)
                .expectNext(200L)
                .expectComplete()
                .verify(TIMEOUT);

        expectCount(connection, "item", 200);
        assertThat(threads).hasSize(1);
    }

    private static String pragma(Connection connection, String name) {
        return query(connection, "PRAGMA " + name, row -> row.get(0, String.class))
                .single()
                .block(TIMEOUT);
    }
}
