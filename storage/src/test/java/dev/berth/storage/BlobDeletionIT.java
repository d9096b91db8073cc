package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.berth.core.Digest;
import dev.berth.core.ErrorCode;
import dev.berth.core.RegistryException;
import dev.berth.core.RepositoryName;
import dev.berth.storage.sqlite.ConnectionPool;
import dev.berth.storage.sqlite.SqliteConnectionFactory;

/**
 * The protocol between deleting blob files and pushes, step by step: the collector here is a
 * second set of connections and a second blob store over the same directory, as {@code berth gc}
 * in another process would be.
 */
class BlobDeletionIT {
    private static final Duration TIMEOUT = GcFixture.TIMEOUT;
    private static final RepositoryName REPO = RepositoryName.of("team/app");
    private static final byte[] CONTENT = "contended layer".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.sha256(CONTENT);

    @TempDir
    Path data;

    private GcFixture registry;
    private Scheduler otherScheduler;
    private ConnectionPool otherWriter;
    private FileBlobStore otherFiles;

    @BeforeEach
    void setUp() {
        registry = new GcFixture(data);
        otherScheduler = Schedulers.newBoundedElastic(4, 1000, "test-other-process");
        otherWriter = new ConnectionPool(SqliteConnectionFactory.create(data.resolve("berth.db"), otherScheduler), 1,
                TIMEOUT);
        otherFiles = new FileBlobStore(data, otherScheduler, Schedulers.parallel());
    }

    @AfterEach
    void tearDown() {
        otherWriter.close().block(TIMEOUT);
        otherScheduler.dispose();
        registry.close();
    }

    @Test
    void linkBlob_digestBeingDeleted_failsBlobUploadInvalidAskingForRetry() {
        TestBlobs.write(data, CONTENT);
        execute("INSERT INTO blob_deletions (digest, started_at) VALUES (?, ?)", DIGEST.toString(), 1L);

        registry.metadata().linkBlob(REPO, DIGEST, CONTENT.length).as(StepVerifier::create)
                .expectErrorSatisfies(BlobDeletionIT::assertRetryable)
                .verify(TIMEOUT);

        registry.metadata().findBlobSize(REPO, DIGEST).as(StepVerifier::create).verifyComplete();
    }

    @Test
    void linkUploadedBlob_digestBeingDeleted_failsAndKeepsTheSession() {
        TestBlobs.write(data, CONTENT);
        UploadSession session = new UploadSession("kept", REPO, Instant.EPOCH, Instant.EPOCH);
        registry.metadata().createUpload(session).block(TIMEOUT);
        execute("INSERT INTO blob_deletions (digest, started_at) VALUES (?, ?)", DIGEST.toString(), 1L);

        registry.metadata().linkUploadedBlob(REPO, DIGEST, CONTENT.length, "kept").as(StepVerifier::create)
                .expectErrorSatisfies(BlobDeletionIT::assertRetryable)
                .verify(TIMEOUT);

        registry.metadata().findBlobSize(REPO, DIGEST).as(StepVerifier::create).verifyComplete();
        registry.metadata().findUpload("kept").as(StepVerifier::create).expectNext(session).verifyComplete();
    }

    @Test
    void linkBlob_newBlobWithoutFile_failsBlobUploadInvalid() {
        registry.metadata().linkBlob(REPO, DIGEST, CONTENT.length).as(StepVerifier::create)
                .expectErrorSatisfies(BlobDeletionIT::assertRetryable)
                .verify(TIMEOUT);
    }

    @Test
    void linkBlob_uploadFinishedDuringDeletion_failsUntilTheRetryStoresBytesAgain() {
        claimUnlinkedBlob();
        registry.metadata().findBlobSizeAnywhere(DIGEST).as(StepVerifier::create).verifyComplete();

        upload("during-claim");
        assertThat(registry.fileExists(DIGEST)).isTrue();
        registry.metadata().linkBlob(REPO, DIGEST, CONTENT.length).as(StepVerifier::create)
                .expectErrorSatisfies(BlobDeletionIT::assertRetryable)
                .verify(TIMEOUT);

        new BlobDeletions(otherWriter, otherFiles).delete(List.of(DIGEST)).as(StepVerifier::create)
                .expectNext(1)
                .verifyComplete();
        assertThat(registry.fileExists(DIGEST)).isFalse();
        registry.metadata().linkBlob(REPO, DIGEST, CONTENT.length).as(StepVerifier::create)
                .expectErrorSatisfies(BlobDeletionIT::assertRetryable)
                .verify(TIMEOUT);

        upload("retry");
        registry.metadata().linkBlob(REPO, DIGEST, CONTENT.length).as(StepVerifier::create).verifyComplete();

        assertThat(registry.fileExists(DIGEST)).isTrue();
        registry.metadata().findBlobSize(REPO, DIGEST).as(StepVerifier::create)
                .expectNext((long) CONTENT.length)
                .verifyComplete();
    }

    @Test
    void delete_afterAnotherCollectorFinishedTheSameClaim_leavesReuploadedFileAlone() {
        claimUnlinkedBlob();
        new BlobDeletions(otherWriter, otherFiles).finishPending().as(StepVerifier::create)
                .expectNext(1)
                .verifyComplete();
        upload("after-finish");
        registry.metadata().linkBlob(REPO, DIGEST, CONTENT.length).block(TIMEOUT);

        new BlobDeletions(otherWriter, otherFiles).delete(List.of(DIGEST)).as(StepVerifier::create)
                .expectNext(0)
                .verifyComplete();

        assertThat(registry.fileExists(DIGEST)).isTrue();
        assertThat(registry.linked(REPO.value(), DIGEST)).isTrue();
    }

    @Test
    void run_deletionLeftByCrashedCollector_finishedFirst() {
        TestBlobs.write(data, CONTENT);
        execute("INSERT INTO blob_deletions (digest, started_at) VALUES (?, ?)", DIGEST.toString(), 1L);

        registry.collect(GcSettings.defaults());

        assertThat(registry.fileExists(DIGEST)).isFalse();
        upload("after-crash");
        registry.metadata().linkBlob(REPO, DIGEST, CONTENT.length).as(StepVerifier::create).verifyComplete();
    }

    /** The blob stored, linked, unlinked and aged past grace, then claimed by the other collector. */
    private void claimUnlinkedBlob() {
        registry.blob(REPO.value(), CONTENT);
        registry.metadata().unlinkBlob(REPO, DIGEST).block(TIMEOUT);
        registry.clock.advance(Duration.ofHours(25));
        long now = registry.clock.millis();
        long cutoff = now - GcSettings.DEFAULT_GRACE.toMillis();

        List<BlobDeletions.Claimed> claimed = otherWriter.inTransaction(connection ->
                BlobDeletions.claim(connection, cutoff, now, BlobDeletions.BATCH)).single().block(TIMEOUT);

        assertThat(claimed).containsExactly(new BlobDeletions.Claimed(DIGEST, CONTENT.length));
    }

    /** An upload of the blob's bytes, finished through the server's blob store. */
    private void upload(String id) {
        BlobStore blobs = registry.storage.blobs();
        blobs.createUpload(id)
                .then(blobs.append(id, 0, Flux.just(Unpooled.wrappedBuffer(CONTENT))))
                .then(blobs.commit(id, DIGEST))
                .as(StepVerifier::create)
                .expectNext((long) CONTENT.length)
                .verifyComplete();
    }

    private void execute(String sql, Object... args) {
        otherWriter.inTransaction(connection -> Sql.update(connection, sql, args)).blockLast(TIMEOUT);
    }

    private static void assertRetryable(Throwable error) {
        assertThat(error).isInstanceOfSatisfying(RegistryException.class, failure -> {
            assertThat(failure.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
            assertThat(failure.status()).isEqualTo(400);
            assertThat(failure.detail()).contains(DIGEST.toString(), "retry the upload");
        });
    }
}
