package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.berth.core.Digest;
import dev.berth.core.ErrorCode;
import dev.berth.core.RegistryException;

class FileBlobStoreTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private Scheduler io;
    private Scheduler hashing;
    private FileBlobStore store;
    private final CountDownLatch releaseHashing = new CountDownLatch(1);
    private ExecutorService hashThread;

    @BeforeEach
    void setUp() {
        io = Schedulers.newBoundedElastic(4, 1000, "test-files");
        hashing = Schedulers.newParallel("test-hash", 2);
        store = new FileBlobStore(root, io, hashing);
    }

    @AfterEach
    void tearDown() {
        releaseHashing.countDown();
        if (hashThread != null) {
            hashThread.shutdownNow();
        }
        io.dispose();
        hashing.dispose();
    }

    @Test
    void commit_chunksAppendedInOrder_blobReadableWithAllBytes() throws Exception {
        byte[] whole = "hello, chunked world".getBytes(StandardCharsets.UTF_8);
        store.createUpload("u1").block(TIMEOUT);

        store.append("u1", 0, chunks(whole, 0, 7)).as(StepVerifier::create).expectNext(7L).verifyComplete();
        store.append("u1", 7, chunks(whole, 7, whole.length)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
        store.commit("u1", Digest.sha256(whole)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();

        Path file = store.find(Digest.sha256(whole)).block(TIMEOUT);
        assertThat(file).isNotNull();
        assertThat(Files.readAllBytes(file)).isEqualTo(whole);
        assertThat(file.getParent().getFileName().toString()).isEqualTo(Digest.sha256(whole).hex().substring(0, 2));
        assertThat(store.uploadSize("u1").block(TIMEOUT)).isNull();
    }

    @Test
    void append_wrongOffset_fails416AndKeepsBytes() {
        byte[] first = bytes("first");
        store.createUpload("u2").block(TIMEOUT);
        store.append("u2", 0, Flux.just(Unpooled.wrappedBuffer(first))).block(TIMEOUT);

        ByteBuf late = Unpooled.wrappedBuffer(bytes("again"));
        store.append("u2", 0, Flux.just(late)).as(StepVerifier::create)
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(RegistryException.class);
                    assertThat(((RegistryException) error).code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
                    assertThat(((RegistryException) error).status()).isEqualTo(416);
                })
                .verify(TIMEOUT);

        assertThat(store.uploadSize("u2").block(TIMEOUT)).isEqualTo(first.length);
        late.release();
    }

    @Test
    void commit_digestMismatch_failsDigestInvalidAndDiscardsBytes() {
        store.createUpload("u3").block(TIMEOUT);
        store.append("u3", 0, Flux.just(Unpooled.wrappedBuffer(bytes("real bytes")))).block(TIMEOUT);
        Digest claimed = Digest.sha256("other bytes");

        store.commit("u3", claimed).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(((RegistryException) error).code())
                        .isEqualTo(ErrorCode.DIGEST_INVALID))
                .verify(TIMEOUT);

        store.find(claimed).as(StepVerifier::create).verifyComplete();
        store.find(Digest.sha256("real bytes")).as(StepVerifier::create).verifyComplete();
        assertThat(store.uploadSize("u3").block(TIMEOUT)).isNull();
    }

    @Test
    void commit_afterRestartWithoutHashState_rehashesFileFromDisk() {
        byte[] content = bytes("survives a restart");
        store.createUpload("u4").block(TIMEOUT);
        store.append("u4", 0, Flux.just(Unpooled.wrappedBuffer(content))).block(TIMEOUT);

        FileBlobStore restarted = new FileBlobStore(root, io, hashing);

        restarted.commit("u4", Digest.sha256(content)).as(StepVerifier::create)
                .expectNext((long) content.length)
                .verifyComplete();
    }

    @Test
    void commit_sha512Digest_verifiesWithThatAlgorithm() {
        byte[] content = bytes("sha512 content");
        Digest sha512 = Digest.parse("sha512:" + "0".repeat(128)).recompute(content);
        store.createUpload("u5").block(TIMEOUT);
        store.append("u5", 0, Flux.just(Unpooled.wrappedBuffer(content))).block(TIMEOUT);

        store.commit("u5", sha512).as(StepVerifier::create).expectNext((long) content.length).verifyComplete();

        assertThat(store.find(sha512).block(TIMEOUT)).exists();
    }

    @Test
    void commit_blobAlreadyStored_keepsExistingFileAndDropsUpload() throws Exception {
        byte[] content = bytes("twice");
        Digest digest = Digest.sha256(content);
        for (String id : List.of("a", "b")) {
            store.createUpload(id).block(TIMEOUT);
            store.append(id, 0, Flux.just(Unpooled.wrappedBuffer(content))).block(TIMEOUT);
        }
        store.commit("a", digest).block(TIMEOUT);
        long modified = Files.getLastModifiedTime(store.find(digest).block(TIMEOUT)).toMillis();

        store.commit("b", digest).as(StepVerifier::create).expectNext((long) content.length).verifyComplete();

        assertThat(Files.getLastModifiedTime(store.find(digest).block(TIMEOUT)).toMillis()).isEqualTo(modified);
        assertThat(store.uploadSize("b").block(TIMEOUT)).isNull();
    }

    @Test
    void append_unknownUpload_failsBlobUploadUnknown() {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes("x"));

        store.append("missing", 0, Flux.just(buf)).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(((RegistryException) error).code())
                        .isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN))
                .verify(TIMEOUT);
        buf.release();
    }

    @Test
    void append_bodyFailsMidway_releasesBuffersAndKeepsWrittenBytes() {
        store.createUpload("u6").block(TIMEOUT);
        Flux<ByteBuf> body = Flux.just(Unpooled.wrappedBuffer(bytes("abc")))
                .concatWith(Flux.error(new IllegalStateException("client went away")));

        store.append("u6", 0, body).as(StepVerifier::create)
                .expectError(IllegalStateException.class)
                .verify(TIMEOUT);

        assertThat(store.uploadSize("u6").block(TIMEOUT)).isEqualTo(3L);
        store.append("u6", 3, Flux.just(Unpooled.wrappedBuffer(bytes("def")))).as(StepVerifier::create)
                .expectNext(6L)
                .verifyComplete();
        store.commit("u6", Digest.sha256("abcdef")).as(StepVerifier::create).expectNext(6L).verifyComplete();
    }

    @Test
    void append_diskFullMidway_failsInsufficientStorageAndKeepsBytesWritten() {
        AtomicInteger writes = new AtomicInteger();
        FileBlobStore full = new FileBlobStore(root, io, hashing, (channel, buffer) -> {
            if (writes.incrementAndGet() == 2) {
                ByteBuffer part = buffer.slice();
                part.limit(2);
                channel.write(part);
                throw new IOException("No space left on device");
            }
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }, false);
        full.createUpload("u8").block(TIMEOUT);
        Flux<ByteBuf> body = Flux.just(Unpooled.wrappedBuffer(bytes("abc")), Unpooled.wrappedBuffer(bytes("defg")));

        full.append("u8", 0, body).as(StepVerifier::create)
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(RegistryException.class);
                    assertThat(((RegistryException) error).code()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE);
                    assertThat(((RegistryException) error).status()).isEqualTo(507);
                })
                .verify(TIMEOUT);

        assertThat(full.uploadSize("u8").block(TIMEOUT)).isEqualTo(5L);
        full.append("u8", 5, Flux.just(Unpooled.wrappedBuffer(bytes("fghij")))).as(StepVerifier::create)
                .expectNext(10L)
                .verifyComplete();
        full.commit("u8", Digest.sha256("abcdefghij")).as(StepVerifier::create).expectNext(10L).verifyComplete();
    }

    @Test
    void commit_severalMebibytesInSmallBuffers_runningHashCoversEveryByte() throws Exception {
        byte[] whole = new byte[3 * 1024 * 1024 + 12_345];
        new Random(7).nextBytes(whole);
        store.createUpload("u9").block(TIMEOUT);

        store.append("u9", 0, chunks(whole, 0, 1_000_000, 16 * 1024)).as(StepVerifier::create)
                .expectNext(1_000_000L)
                .verifyComplete();
        store.append("u9", 1_000_000, chunks(whole, 1_000_000, whole.length, 7_000)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();

        // The running hash, not a second read of the file, is what commit checks.
        assertThat(store.hashedBytes("u9")).isEqualTo(whole.length);
        store.commit("u9", Digest.sha256(whole)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
        assertThat(Files.readAllBytes(store.find(Digest.sha256(whole)).block(TIMEOUT))).isEqualTo(whole);
    }

    @Test
    void append_hashingHeldUp_answersOnceWrittenAndCommitWaitsForTheHash() throws Exception {
        // Two 512 KiB batches: both may wait for their hash while the append answers.
        byte[] whole = random(1024 * 1024, 21);
        FileBlobStore held = storeWithHeldHashing();
        held.createUpload("h1").block(TIMEOUT);

        Long size = held.append("h1", 0, chunks(whole, 0, whole.length, 64 * 1024)).block(TIMEOUT);

        assertThat(size).isEqualTo(whole.length);
        assertThat(held.hashPending("h1")).isTrue();
        CompletableFuture<Long> commit = held.commit("h1", Digest.sha256(whole)).toFuture();
        assertThat(waitsForHashing(commit, "commit", () -> { })).isEqualTo(whole.length);
        assertThat(Files.readAllBytes(held.find(Digest.sha256(whole)).block(TIMEOUT))).isEqualTo(whole);
    }

    @Test
    void append_twoChunksWhileHashingHeldUp_runningHashCoversBothOnceDone() {
        // One 512 KiB batch per chunk: the second chunk's hash lines up behind the first's.
        byte[] whole = random(1024 * 1024, 24);
        int half = whole.length / 2;
        FileBlobStore held = storeWithHeldHashing();
        held.createUpload("h4").block(TIMEOUT);

        assertThat(held.append("h4", 0, chunks(whole, 0, half, 64 * 1024)).block(TIMEOUT)).isEqualTo(half);
        assertThat(held.append("h4", half, chunks(whole, half, whole.length, 64 * 1024)).block(TIMEOUT))
                .isEqualTo(whole.length);
        releaseHashing.countDown();

        // Not -1: the hash followed both chunks in order instead of giving up and re-reading.
        assertThat(held.hashedBytes("h4")).isEqualTo(whole.length);
        assertThat(held.commit("h4", Digest.sha256(whole)).block(TIMEOUT)).isEqualTo(whole.length);
    }

    @Test
    void append_manySmallChunksWhileHashingHeldUp_laterChunksWaitForTheHash() throws Exception {
        // Each chunk is one batch; hashes waiting from earlier chunks count against the limit.
        byte[] whole = random(3 * 512 * 1024, 25);
        int batch = 512 * 1024;
        FileBlobStore held = storeWithHeldHashing();
        held.createUpload("h5").block(TIMEOUT);
        held.append("h5", 0, chunks(whole, 0, batch, 64 * 1024)).block(TIMEOUT);
        held.append("h5", batch, chunks(whole, batch, 2 * batch, 64 * 1024)).block(TIMEOUT);

        CompletableFuture<Long> third = held.append("h5", 2L * batch,
                chunks(whole, 2 * batch, whole.length, 64 * 1024)).toFuture();

        assertThat(waitsForHashing(third, "third chunk", () -> { })).isEqualTo(whole.length);
        assertThat(held.hashedBytes("h5")).isEqualTo(whole.length);
    }

    @Test
    void append_hashingFallsBehind_writesWaitSoFewBatchesAreHeld() throws Exception {
        // Eight 512 KiB batches; only two may wait for their hash, so the append waits too.
        byte[] whole = random(4 * 1024 * 1024, 22);
        FileBlobStore held = storeWithHeldHashing();
        held.createUpload("h2").block(TIMEOUT);

        CompletableFuture<Long> append = held.append("h2", 0, chunks(whole, 0, whole.length, 64 * 1024))
                .toFuture();

        assertThat(waitsForHashing(append, "append", () -> assertThat(held.uploadSize("h2").block(TIMEOUT))
                .isLessThanOrEqualTo(3L * 512 * 1024))).isEqualTo(whole.length);
        assertThat(held.hashedBytes("h2")).isEqualTo(whole.length);
        assertThat(held.commit("h2", Digest.sha256(whole)).block(TIMEOUT)).isEqualTo(whole.length);
    }

    @Test
    void append_fileGrewWithoutThisProcess_hashGivesUpAndCommitRehashes() throws Exception {
        byte[] whole = random(2 * 1024 * 1024, 23);
        int half = whole.length / 2;
        store.createUpload("h3").block(TIMEOUT);
        store.append("h3", 0, chunks(whole, 0, half, 64 * 1024)).block(TIMEOUT);
        // Bytes added behind Berth's back, as a crash between write and hash would leave them.
        Files.write(root.resolve("uploads").resolve("h3"), Arrays.copyOfRange(whole, half, half + 10),
                StandardOpenOption.APPEND);

        store.append("h3", half + 10, chunks(whole, half + 10, whole.length, 64 * 1024)).block(TIMEOUT);

        assertThat(store.hashedBytes("h3")).isEqualTo(-1L);
        assertThat(store.commit("h3", Digest.sha256(whole)).block(TIMEOUT)).isEqualTo(whole.length);
    }

    @Test
    void append_diskFullInLargeBatch_keepsBytesWrittenAndRehashesOnCommit() {
        byte[] whole = new byte[2 * 1024 * 1024];
        new Random(8).nextBytes(whole);
        AtomicInteger writes = new AtomicInteger();
        FileBlobStore full = new FileBlobStore(root, io, hashing, (channel, buffer) -> {
            if (writes.incrementAndGet() == 40) {
                throw new IOException("No space left on device");
            }
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }, false);
        full.createUpload("u10").block(TIMEOUT);

        full.append("u10", 0, chunks(whole, 0, whole.length, 16 * 1024)).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(((RegistryException) error).code())
                        .isEqualTo(ErrorCode.INSUFFICIENT_STORAGE))
                .verify(TIMEOUT);

        long kept = full.uploadSize("u10").block(TIMEOUT);
        assertThat(kept).isEqualTo(39L * 16 * 1024);
        assertThat(full.hashedBytes("u10")).isEqualTo(-1L);
        full.append("u10", kept, chunks(whole, (int) kept, whole.length, 64 * 1024)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
        full.commit("u10", Digest.sha256(whole)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
    }

    @Test
    void append_directWritesAcrossAppendsEndingMidBlock_fileAndHashHoldEveryByte() throws Exception {
        byte[] whole = new byte[3 * 1024 * 1024 + 4_321];
        new Random(11).nextBytes(whole);
        store.createUpload("d1").block(TIMEOUT);

        // Each append but the last ends inside a block: the next one reads that block's start
        // back from the file and writes the block whole.
        int from = 0;
        for (int end : new int[] {5_000, 5_007, 2_000_000, whole.length}) {
            store.append("d1", from, chunks(whole, from, end, 7_000)).as(StepVerifier::create)
                    .expectNext((long) end)
                    .verifyComplete();
            assertThat(Files.size(root.resolve("uploads").resolve("d1"))).isEqualTo(end);
            from = end;
        }

        assertThat(store.directBytesWritten()).isGreaterThanOrEqualTo(3L * 1024 * 1024);
        assertThat(store.hashedBytes("d1")).isEqualTo(whole.length);
        store.commit("d1", Digest.sha256(whole)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
        assertThat(Files.readAllBytes(store.find(Digest.sha256(whole)).block(TIMEOUT))).isEqualTo(whole);
    }

    @Test
    void append_directWriteFails_keepsWrittenBlocksAndResumes() {
        byte[] whole = new byte[2 * 1024 * 1024];
        new Random(12).nextBytes(whole);
        AtomicInteger writes = new AtomicInteger();
        FileBlobStore full = new FileBlobStore(root, io, hashing, (channel, buffer) -> {
            if (writes.incrementAndGet() == 3) {
                throw new IOException("No space left on device");
            }
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }, true);
        full.createUpload("d2").block(TIMEOUT);

        full.append("d2", 0, chunks(whole, 0, whole.length, 16 * 1024)).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(((RegistryException) error).code())
                        .isEqualTo(ErrorCode.INSUFFICIENT_STORAGE))
                .verify(TIMEOUT);

        // The first two direct writes landed, the third failed, and nothing was written after it.
        long kept = full.uploadSize("d2").block(TIMEOUT);
        assertThat(full.directBytesWritten()).isEqualTo(2L * UploadFile.STAGE_BYTES);
        assertThat(kept).isEqualTo(2L * UploadFile.STAGE_BYTES);
        assertThat(full.hashedBytes("d2")).isEqualTo(-1L);
        full.append("d2", kept, chunks(whole, (int) kept, whole.length, 64 * 1024)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
        full.commit("d2", Digest.sha256(whole)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
    }

    @Test
    void append_bodyFailsAfterPartBlock_closeFlushesEveryByteReceived() throws Exception {
        byte[] whole = new byte[1_500_000];
        new Random(13).nextBytes(whole);
        // One batch's worth (a batch is handed to the disk once it holds 512 KiB), then a pause
        // long enough for its write, then the client goes away.
        int received = 530_000;
        store.createUpload("d3").block(TIMEOUT);
        Flux<ByteBuf> body = chunks(whole, 0, received, 10_000)
                .concatWith(Mono.delay(Duration.ofMillis(300))
                        .then(Mono.error(new IllegalStateException("client went away"))));

        store.append("d3", 0, body).as(StepVerifier::create)
                .expectError(IllegalStateException.class)
                .verify(TIMEOUT);

        // A whole stage and whole blocks went directly; the part block after them, on close.
        assertThat(store.uploadSize("d3").block(TIMEOUT)).isEqualTo(received);
        assertThat(store.directBytesWritten()).isBetween((long) UploadFile.STAGE_BYTES, received - 1L);
        assertThat(store.hashedBytes("d3")).isEqualTo(received);
        store.append("d3", received, chunks(whole, received, whole.length, 10_000)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
        store.commit("d3", Digest.sha256(whole)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
        assertThat(Files.readAllBytes(store.find(Digest.sha256(whole)).block(TIMEOUT))).isEqualTo(whole);
    }

    @Test
    void append_afterRestartMidBlock_readsBlockBackAndKeepsEveryByte() throws Exception {
        byte[] whole = new byte[1_200_000];
        new Random(14).nextBytes(whole);
        store.createUpload("d4").block(TIMEOUT);
        store.append("d4", 0, chunks(whole, 0, 600_003, 50_000)).block(TIMEOUT);

        FileBlobStore restarted = new FileBlobStore(root, io, hashing);
        restarted.append("d4", 600_003, chunks(whole, 600_003, whole.length, 50_000)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();

        assertThat(restarted.directBytesWritten()).isPositive();
        restarted.commit("d4", Digest.sha256(whole)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
        assertThat(Files.readAllBytes(restarted.find(Digest.sha256(whole)).block(TIMEOUT))).isEqualTo(whole);
    }

    @Test
    void batches_knownLength_lastMebibyteInSmallBatches() {
        int length = 3 * 1024 * 1024;
        int buffer = 16 * 1024;
        List<List<ByteBuf>> batches = FileBlobStore.batches(chunks(new byte[length], 0, length, buffer), length)
                .collectList().block(TIMEOUT);

        long end = 0;
        for (List<ByteBuf> batch : batches) {
            long size = batch.stream().mapToLong(ByteBuf::readableBytes).sum();
            end += size;
            if (end <= length - FileBlobStore.TAIL_BYTES) {
                assertThat(size).as("batch ending at %d", end).isGreaterThanOrEqualTo(512 * 1024);
            } else if (end - size >= length - FileBlobStore.TAIL_BYTES) {
                assertThat(size).as("batch ending at %d", end).isLessThanOrEqualTo(FileBlobStore.TAIL_BATCH_BYTES);
            }
            FileBlobStore.releaseAll(batch);
        }
        assertThat(end).isEqualTo(length);
        assertThat(batches).hasSizeGreaterThan(FileBlobStore.TAIL_BYTES / FileBlobStore.TAIL_BATCH_BYTES);
    }

    @Test
    void batches_unknownLength_allBatchesButTheLastAreLarge() {
        int length = 3 * 1024 * 1024 + 5;
        List<List<ByteBuf>> batches = FileBlobStore.batches(chunks(new byte[length], 0, length, 16 * 1024),
                BlobStore.UNKNOWN_LENGTH).collectList().block(TIMEOUT);

        for (List<ByteBuf> batch : batches.subList(0, batches.size() - 1)) {
            assertThat(batch.stream().mapToLong(ByteBuf::readableBytes).sum()).isGreaterThanOrEqualTo(512 * 1024);
        }
        batches.forEach(FileBlobStore::releaseAll);
    }

    @Test
    void append_lengthAnnouncedWrong_storesExactlyTheBytesReceived() throws Exception {
        byte[] whole = new byte[2 * 1024 * 1024 + 777];
        new Random(13).nextBytes(whole);
        store.createUpload("w1").block(TIMEOUT);

        // Announced longer than it is, then shorter: the length only shapes the batches.
        store.append("w1", 0, 10L * 1024 * 1024, chunks(whole, 0, 1_500_000, 9_000)).as(StepVerifier::create)
                .expectNext(1_500_000L)
                .verifyComplete();
        store.append("w1", 1_500_000, 1_000, chunks(whole, 1_500_000, whole.length, 9_000))
                .as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();

        assertThat(store.hashedBytes("w1")).isEqualTo(whole.length);
        store.commit("w1", Digest.sha256(whole)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
        assertThat(Files.readAllBytes(store.find(Digest.sha256(whole)).block(TIMEOUT))).isEqualTo(whole);
    }

    @Test
    void append_knownLength_writesTheLastBatchesBeforeTheBodyEnds() throws Exception {
        byte[] whole = new byte[256 * 1024];
        new Random(14).nextBytes(whole);
        store.createUpload("w2").block(TIMEOUT);
        Sinks.Many<ByteBuf> body = Sinks.many().unicast().onBackpressureBuffer();
        Mono<Long> append = store.append("w2", 0, whole.length, body.asFlux()).cache();
        append.subscribe();

        // Half the body, and the client still sending: a tail batch is on disk already, not
        // held back until the body ends.
        body.tryEmitNext(Unpooled.copiedBuffer(whole, 0, 128 * 1024));
        Path file = root.resolve("uploads").resolve("w2");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (Files.size(file) < 128 * 1024 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(Files.size(file)).isEqualTo(128 * 1024);

        body.tryEmitNext(Unpooled.copiedBuffer(whole, 128 * 1024, 128 * 1024));
        body.tryEmitComplete();
        assertThat(append.block(TIMEOUT)).isEqualTo(whole.length);
        store.commit("w2", Digest.sha256(whole)).as(StepVerifier::create)
                .expectNext((long) whole.length)
                .verifyComplete();
    }

    @Test
    void uploadId_withPathTraversal_failsBlobUploadUnknown() {
        store.uploadSize("../../etc/passwd").as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(((RegistryException) error).code())
                        .isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN))
                .verify(TIMEOUT);
    }

    private static Flux<ByteBuf> chunks(byte[] bytes, int from, int to) {
        return chunks(bytes, from, to, 3);
    }

    /** {@code bytes[from, to)} as network-like buffers of {@code size} bytes, made as they are asked for. */
    private static Flux<ByteBuf> chunks(byte[] bytes, int from, int to, int size) {
        return Flux.range(0, (to - from + size - 1) / size)
                .map(i -> Unpooled.copiedBuffer(bytes, from + i * size, Math.min(size, to - from - i * size)));
    }

    /**
     * Checks that {@code pending} is still waiting while hashing is held up (and runs
     * {@code whileHeld}), then lets hashing go on and returns what {@code pending} gives.
     */
    private <T> T waitsForHashing(CompletableFuture<T> pending, String what, Runnable whileHeld)
            throws Exception {
        Thread.sleep(300);
        assertThat(pending).as(what + " waiting for the hash").isNotDone();
        whileHeld.run();
        releaseHashing.countDown();
        return pending.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * A store over the same root whose hash tasks all wait, one at a time and in order, until
     * the test counts {@link #releaseHashing} down.
     */
    private FileBlobStore storeWithHeldHashing() {
        hashThread = Executors.newSingleThreadExecutor();
        Scheduler held = Schedulers.fromExecutor(task -> hashThread.execute(() -> {
            try {
                releaseHashing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            task.run();
        }));
        return new FileBlobStore(root, io, held);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
