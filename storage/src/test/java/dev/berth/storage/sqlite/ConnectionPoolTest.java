package dev.berth.storage.sqlite;

import static dev.berth.storage.sqlite.TestDatabase.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Acquiring, queueing, releasing and closing. */
class ConnectionPoolTest {
    private static final Duration SHORT = Duration.ofMillis(200);

    @TempDir
    Path directory;

    private TestDatabase database;
    private ConnectionPool pool;

    @BeforeEach
    void setUp() {
        database = new TestDatabase(directory);
        pool = new ConnectionPool(database.factory, 1, TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        pool.close().block(TIMEOUT);
        database.close();
    }

    @Test
    void acquire_afterRelease_reusesIdleConnection() {
        Connection first = pool.acquire().block(TIMEOUT);
        pool.release(first).block(TIMEOUT);

        pool.acquire()
                .as(StepVerifier::create)
                .assertNext(second -> assertThat(second).isSameAs(first))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void acquire_belowMaxSize_createsAnotherConnection() {
        ConnectionPool two = new ConnectionPool(database.factory, 2, TIMEOUT);

        Mono.zip(two.acquire(), two.acquire())
                .as(StepVerifier::create)
                .assertNext(pair -> assertThat(pair.getT1()).isNotSameAs(pair.getT2()))
                .expectComplete()
                .verify(TIMEOUT);

        two.close().block(TIMEOUT);
    }

    @Test
    void acquire_poolExhausted_waitsUntilRelease() {
        Connection held = pool.acquire().block(TIMEOUT);

        pool.acquire()
                .as(StepVerifier::create)
                .expectSubscription()
                .expectNoEvent(SHORT)
                .then(() -> pool.release(held).subscribe())
                .assertNext(next -> assertThat(next).isSameAs(held))
                .expectComplete()
                .verify(TIMEOUT);
        pool.release(held).block(TIMEOUT);
    }

    @Test
    void acquire_noConnectionWithinTimeout_failsTimeout() {
        ConnectionPool impatient = new ConnectionPool(database.factory, 1, SHORT);
        Connection held = impatient.acquire().block(TIMEOUT);

        impatient.acquire()
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(R2dbcTimeoutException.class)
                        .hasMessageContaining("no pooled connection within PT0.2S"))
                .verify(TIMEOUT);

        impatient.release(held).then(impatient.close()).block(TIMEOUT);
    }

    @Test
    void acquire_cancelledWhileWaiting_doesNotKeepConnection() {
        Connection held = pool.acquire().block(TIMEOUT);
        Disposable waiting = pool.acquire().subscribe();

        waiting.dispose();
        pool.release(held).block(TIMEOUT);

        pool.acquire()
                .as(StepVerifier::create)
                .assertNext(next -> assertThat(next).isSameAs(held))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void acquire_cancelledOnSubscribe_neverTakesConnection() {
        Connection held = pool.acquire().block(TIMEOUT);

        pool.acquire().subscribe(new CancelOnSubscribe());
        pool.release(held).block(TIMEOUT);
        pool.acquire().subscribe(new CancelOnSubscribe());

        pool.acquire()
                .as(StepVerifier::create)
                .assertNext(next -> assertThat(next).isSameAs(held))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void acquire_afterClose_failsNonTransient() {
        pool.close().block(TIMEOUT);

        pool.acquire()
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(R2dbcNonTransientResourceException.class)
                        .hasMessage("connection pool is closed"))
                .verify(TIMEOUT);
    }

    @Test
    void close_whileCallerWaits_failsWaiterAndClosesReleasedConnection() {
        Connection held = pool.acquire().block(TIMEOUT);

        pool.acquire()
                .as(StepVerifier::create)
                .expectSubscription()
                .then(() -> pool.close().subscribe())
                .expectError(R2dbcNonTransientResourceException.class)
                .verify(TIMEOUT);

        pool.release(held).block(TIMEOUT);
        Mono.from(held.validate(ValidationDepth.LOCAL))
                .as(StepVerifier::create)
                .expectNext(false)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void release_connectionNotLeased_failsIllegalArgument() {
        Connection held = pool.acquire().block(TIMEOUT);
        pool.release(held).block(TIMEOUT);

        pool.release(held)
                .as(StepVerifier::create)
                .expectError(IllegalArgumentException.class)
                .verify(TIMEOUT);
    }

    @Test
    void withConnection_workFails_releasesConnection() {
        pool.withConnection(connection -> Mono.error(new IllegalStateException("boom")))
                .as(StepVerifier::create)
                .expectErrorMessage("boom")
                .verify(TIMEOUT);

        pool.withConnection(connection -> Mono.just("free again"))
                .as(StepVerifier::create)
                .expectNext("free again")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void acquire_factoryFails_emitsFactoryErrorAndFreesSlot() throws Exception {
        Path notAFile = Files.createDirectory(directory.resolve("a-directory"));
        ConnectionFactory factory = SqliteConnectionFactory.create(notAFile, database.scheduler);
        ConnectionPool broken = new ConnectionPool(factory, 1, TIMEOUT);

        broken.acquire()
                .as(StepVerifier::create)
                .expectError(R2dbcNonTransientResourceException.class)
                .verify(TIMEOUT);
        broken.acquire()
                .as(StepVerifier::create)
                .expectError(R2dbcNonTransientResourceException.class)
                .verify(TIMEOUT);
    }

    @Test
    void constructor_zeroSize_throwsIllegalArgument() {
        assertThatThrownBy(() -> new ConnectionPool(database.factory, 0, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSize: 0 (expected: >= 1)");
    }

    /** Cancels before the pool has even registered the caller. */
    private static final class CancelOnSubscribe extends BaseSubscriber<Connection> {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.cancel();
        }
    }
}
