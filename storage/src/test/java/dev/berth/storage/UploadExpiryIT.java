package dev.berth.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import dev.berth.core.Digest;
import dev.berth.core.RepositoryName;

/** Upload sessions across time and restarts: expiry with a clock the test moves, and resuming. */
class UploadExpiryIT {
    private static final Duration TIMEOUT = GcFixture.TIMEOUT;
    private static final Duration IDLE = Duration.ofHours(1);
    private static final RepositoryName REPO = RepositoryName.of("team/app");

    @TempDir
    Path data;

    private GcFixture registry;

    @BeforeEach
    void setUp() {
        registry = new GcFixture(data);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    @Test
    void expireUploads_idleLongerThanLimit_deletesSessionAndFile() {
        start("stale-upload");
        registry.clock.advance(Duration.ofMinutes(50));
        start("fresh-upload");
        registry.clock.advance(Duration.ofMinutes(20));

        registry.gc().expireUploads(IDLE).as(StepVerifier::create).expectNext(1).verifyComplete();

        registry.metadata().findUpload("stale-upload").as(StepVerifier::create).verifyComplete();
        registry.storage.blobs().uploadSize("stale-upload").as(StepVerifier::create).verifyComplete();
        registry.metadata().findUpload("fresh-upload").as(StepVerifier::create).expectNextCount(1).verifyComplete();
        registry.storage.blobs().uploadSize("fresh-upload").as(StepVerifier::create).expectNext(5L).verifyComplete();
    }

    @Test
    void expireUploads_touchedRecently_keepsSession() {
        start("touched-upload");
        registry.clock.advance(Duration.ofMinutes(50));
        registry.metadata().touchUpload("touched-upload", registry.clock.instant()).block(TIMEOUT);
        registry.clock.advance(Duration.ofMinutes(50));

        registry.gc().expireUploads(IDLE).as(StepVerifier::create).expectNext(0).verifyComplete();

        registry.metadata().findUpload("touched-upload").as(StepVerifier::create).expectNextCount(1).verifyComplete();
    }

    @Test
    void expireUploads_chunkStreamingNow_keepsSession() {
        start("streaming-upload");
        registry.clock.advance(Duration.ofHours(2));
        Sinks.Many<ByteBuf> body = Sinks.many().unicast().onBackpressureBuffer();
        Mono<Long> append = registry.storage.blobs().append("streaming-upload", 5, body.asFlux()).cache();
        append.subscribe();
        awaitReceiving("streaming-upload");

        registry.gc().expireUploads(IDLE).as(StepVerifier::create).expectNext(0).verifyComplete();

        body.tryEmitNext(Unpooled.wrappedBuffer(bytes("-more")));
        body.tryEmitComplete();
        append.as(StepVerifier::create).expectNext(10L).verifyComplete();
    }

    @Test
    void append_afterRestart_continuesFromBytesOnDiskAndCommits() {
        start("resumed-upload");
        registry.storage.blobs().append("resumed-upload", 5, Flux.just(Unpooled.wrappedBuffer(bytes(", world"))))
                .block(TIMEOUT);

        registry.reopen();

        BlobStore blobs = registry.storage.blobs();
        registry.metadata().findUpload("resumed-upload").as(StepVerifier::create).expectNextCount(1).verifyComplete();
        blobs.uploadSize("resumed-upload").as(StepVerifier::create).expectNext(12L).verifyComplete();
        blobs.append("resumed-upload", 12, Flux.just(Unpooled.wrappedBuffer(bytes("!"))))
                .as(StepVerifier::create)
                .expectNext(13L)
                .verifyComplete();
        Digest digest = Digest.sha256("hello, world!");
        blobs.commit("resumed-upload", digest)
                .flatMap(size -> registry.metadata().linkBlob(REPO, digest, size).thenReturn(size))
                .as(StepVerifier::create)
                .expectNext(13L)
                .verifyComplete();
        registry.metadata().findBlobSize(REPO, digest).as(StepVerifier::create).expectNext(13L).verifyComplete();
    }

    /** An upload session holding {@code hello}, as POST then PATCH leave it. */
    private void start(String id) {
        BlobStore blobs = registry.storage.blobs();
        blobs.createUpload(id)
                .then(registry.metadata().createUpload(new UploadSession(id, REPO, registry.clock.instant(),
                        registry.clock.instant())))
                .then(blobs.append(id, 0, Flux.just(Unpooled.wrappedBuffer(bytes("hello")))))
                .block(TIMEOUT);
    }

    /** Waits, polling without sleeping a thread, until the append holds the upload. */
    private void awaitReceiving(String id) {
        FileBlobStore files = (FileBlobStore) registry.storage.blobs();
        Mono.fromCallable(() -> files.isReceiving(id))
                .filter(receiving -> receiving)
                .repeatWhenEmpty(ticks -> ticks.delayElements(Duration.ofMillis(5)))
                .block(TIMEOUT);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
