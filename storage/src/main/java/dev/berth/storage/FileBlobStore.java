package dev.berth.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import dev.berth.core.Digest;
import dev.berth.core.Digester;
import dev.berth.core.ErrorCode;

/**
 * Blobs as files under a root directory: {@code blobs/<algorithm>/<first two hex>/<hex>} for
 * finished blobs, {@code uploads/<id>} for uploads in progress. All file work runs on the
 * injected I/O scheduler.
 *
 * <p>The SHA-256 state of each upload is kept in memory while its bytes arrive, so finishing an
 * upload does not read the file again. After a restart, or for a {@code sha512} digest, the file
 * is hashed once more from disk.
 *
 * <p>A write that fails (a full disk, an I/O error) fails the append with
 * {@code INSUFFICIENT_STORAGE}; the upload keeps the bytes written before, so the client may
 * resume from the size it is told once space is freed.
 */
final class FileBlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileBlobStore.class);
    private static final Pattern UPLOAD_ID = Pattern.compile("[a-zA-Z0-9-]{1,64}");
    private static final int HASH_BUFFER = 1 << 20;
    private static final int WRITE_PREFETCH = 2;
    private static final int BATCH_BYTES = 512 * 1024;
    /**
     * The last bytes of a body of known length go in smaller batches, each written as soon as it
     * is hashed: the answer to a chunk waits for its last batch, and a client pushing in chunks
     * sends nothing until it has that answer. With 512 KiB batches the wait after the last byte
     * of an 8 MiB chunk was 1.2 to 2.5 ms, a sixth of the chunk's time on the benchmark machine.
     */
    static final int TAIL_BYTES = 1024 * 1024;
    static final int TAIL_BATCH_BYTES = 64 * 1024;

    private final Path blobs;
    private final Path uploads;
    private final Scheduler io;
    private final Scheduler hashing;
    private final WriteStep writeStep;
    private final UploadFile.Direct direct;
    private final ConcurrentMap<String, UploadState> states = new ConcurrentHashMap<>();

    /**
     * A store under {@code root}.
     *
     * @param io where file work runs; it may block
     * @param hashing where large upload batches are hashed; CPU work only, so it must not be
     *        {@code io}, whose threads wait for it
     */
    FileBlobStore(Path root, Scheduler io, Scheduler hashing) {
        this(root, io, hashing, FileBlobStore::writeFully, true);
    }

    /**
     * A store whose appends write through {@code writeStep}, so tests can make the disk fail,
     * and with {@code O_DIRECT} where the file system allows it when {@code directWrites}.
     */
    FileBlobStore(Path root, Scheduler io, Scheduler hashing, WriteStep writeStep, boolean directWrites) {
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
        this.io = io;
        this.hashing = hashing;
        this.writeStep = writeStep;
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(uploads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create blob directories under " + root, e);
        }
        this.direct = directWrites ? UploadFile.Direct.forDirectory(uploads) : UploadFile.Direct.off();
    }

    @Override
    public Mono<Void> createUpload(String uploadId) {
        return Mono.fromCallable(() -> {
            Files.createFile(uploadPath(uploadId));
            states.put(uploadId, new UploadState());
            return uploadId;
        }).subscribeOn(io).then();
    }

    @Override
    public Mono<Long> uploadSize(String uploadId) {
        return Mono.fromCallable(() -> sizeOrNull(uploadPath(uploadId))).subscribeOn(io);
    }

    @Override
    public Mono<Long> append(String uploadId, long expectedOffset, long length, Flux<ByteBuf> body) {
        Path path = uploadPath(uploadId);
        return Mono.usingWhen(
                Mono.fromCallable(() -> openForAppend(uploadId, path, expectedOffset)).subscribeOn(io),
                writer -> batches(body, length)
                        .concatMapDelayError(batch -> writeOnIo(writer, batch), false, WRITE_PREFETCH)
                        .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
                        .doOnDiscard(List.class, FileBlobStore::releaseAll)
                        .then(Mono.fromCallable(writer::finish).subscribeOn(io)),
                this::closeOnIo,
                (writer, error) -> closeOnIo(writer),
                this::closeOnIo);
    }

    /** Closes the writer on the I/O scheduler, unless {@link UploadWriter#finish} already did. */
    private Mono<Void> closeOnIo(UploadWriter writer) {
        return writer.isClosed() ? Mono.empty() : Mono.fromRunnable(writer::close).subscribeOn(io).then();
    }

    /**
     * The body in batches of about {@link #BATCH_BYTES}: one hand-over to the I/O scheduler per
     * batch instead of one per network buffer (from a few KiB up to the server's 512 KiB read
     * size), which is what bounded push throughput. Buffers are held, not copied, while a batch
     * fills. The last {@link #TAIL_BYTES} of a body of known {@code length} go in batches of
     * {@link #TAIL_BATCH_BYTES}, or of one buffer when a buffer is larger than that: buffers are
     * not split, so a body that arrives in large reads ends with a larger batch.
     */
    static Flux<List<ByteBuf>> batches(Flux<ByteBuf> body, long length) {
        return Flux.defer(() -> {
            // Bytes in the batch being filled, and in the body so far.
            long[] pending = {0};
            long[] received = {0};
            Throwable[] failure = {null};
            // A body that fails midway still delivers the part batch it filled, then the error,
            // so the bytes that did arrive are kept for a resume.
            return body.onErrorResume(error -> {
                failure[0] = error;
                return Mono.empty();
            }).bufferUntil(buf -> {
                pending[0] += buf.readableBytes();
                received[0] += buf.readableBytes();
                boolean tail = length >= 0 && length - received[0] < TAIL_BYTES;
                if (pending[0] < (tail ? TAIL_BATCH_BYTES : BATCH_BYTES)) {
                    return false;
                }
                pending[0] = 0;
                return true;
            }).concatWith(Mono.defer(() -> failure[0] == null ? Mono.empty() : Mono.error(failure[0])));
        });
    }

    /**
     * One batch written on the I/O scheduler. {@code concatMap} keeps the order and asks for a
     * couple of batches at a time, so a slow disk slows the client down instead of filling
     * memory. ({@code publishOn} was tried first: with Reactor Netty's inbound it let a whole
     * request body pile up in direct memory.) When the body fails (the client went away), the
     * write in progress still finishes, so the upload keeps every byte it was told it has.
     */
    private Mono<Void> writeOnIo(UploadWriter writer, List<ByteBuf> batch) {
        // Exactly one of the write and the cancel hook takes the batch, so a client that goes
        // away between the two never leaks it or frees it twice.
        AtomicBoolean taken = new AtomicBoolean();
        return Mono.<Void>fromRunnable(() -> {
            if (taken.compareAndSet(false, true)) {
                writer.write(batch);
            }
        }).subscribeOn(io).doOnCancel(() -> {
            if (taken.compareAndSet(false, true)) {
                releaseAll(batch);
            }
        });
    }

    static void releaseAll(List<?> buffers) {
        buffers.forEach(ReferenceCountUtil::safeRelease);
    }

    private UploadWriter openForAppend(String uploadId, Path path, long expectedOffset) throws IOException {
        UploadState state = states.computeIfAbsent(uploadId, id -> new UploadState());
        if (!state.tryLock()) {
            throw busy(uploadId);
        }
        try {
            UploadFile file = UploadFile.open(path, direct, writeStep);
            long size = file.size();
            if (expectedOffset != AT_END && size != expectedOffset) {
                file.close();
                throw ErrorCode.BLOB_UPLOAD_INVALID.exception(416, "chunk starts at " + expectedOffset
                        + " (expected: " + size + ", the bytes received so far)");
            }
            // Whether the running hash matches where this append starts is checked by each
            // batch's hash, in order, once the hashing of earlier appends is over.
            return new UploadWriter(uploadId, file, state, hashing);
        } catch (NoSuchFileException e) {
            state.unlock();
            states.remove(uploadId, state);
            throw ErrorCode.BLOB_UPLOAD_UNKNOWN.exception("upload " + uploadId);
        } catch (RuntimeException | IOException e) {
            state.unlock();
            throw e;
        }
    }

    @Override
    public Mono<Long> commit(String uploadId, Digest expected) {
        return Mono.fromCallable(() -> commitBlocking(uploadId, expected)).subscribeOn(io);
    }

    private long commitBlocking(String uploadId, Digest expected) throws IOException {
        Path upload = uploadPath(uploadId);
        // Taken even when this process has no state for the upload yet (after a restart), so an
        // append racing the commit is refused instead of writing into a file being moved.
        UploadState state = states.computeIfAbsent(uploadId, id -> new UploadState());
        if (!state.tryLock()) {
            throw busy(uploadId);
        }
        try {
            long size = sizeOrThrow(upload, uploadId);
            state.awaitHashed();
            Digest actual = digestOf(upload, size, state, expected.algorithm());
            if (!actual.equals(expected)) {
                deleteQuietly(upload);
                states.remove(uploadId);
                throw ErrorCode.DIGEST_INVALID.exception("digest " + expected + " (actual: " + actual + ")");
            }
            moveIntoPlace(upload, expected);
            states.remove(uploadId);
            return size;
        } finally {
            state.unlock();
        }
    }

    private Digest digestOf(Path upload, long size, UploadState state, String algorithm) throws IOException {
        if (state.digester != null && state.digester.bytes() == size
                && state.digester.algorithm().equals(algorithm)) {
            Digest digest = state.digester.digest();
            state.digester = null;
            return digest;
        }
        Digester digester = Digester.of(algorithm);
        ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER);
        try (FileChannel channel = FileChannel.open(upload, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digester.update(buffer);
                buffer.clear();
            }
        }
        return digester.digest();
    }

    /**
     * Makes the upload the blob's file. The bytes are forced to disk first, so a crash never
     * leaves a named blob file with missing content; the move is atomic, so readers see either
     * no file or the whole one.
     */
    private void moveIntoPlace(Path upload, Digest digest) throws IOException {
        Path target = blobPath(digest);
        if (Files.exists(target)) {
            deleteQuietly(upload);
            return;
        }
        try (FileChannel channel = FileChannel.open(upload, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(upload);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data directory must allow atomic renames: " + target, e);
        }
    }

    @Override
    public Mono<Void> deleteUpload(String uploadId) {
        return Mono.fromRunnable(() -> {
            states.remove(uploadId);
            deleteQuietly(uploadPath(uploadId));
        }).subscribeOn(io).then();
    }

    @Override
    public Mono<Path> find(Digest digest) {
        Path path = blobPath(digest);
        return Mono.fromCallable(() -> Files.isRegularFile(path) ? path : null).subscribeOn(io);
    }

    /**
     * Whether the blob's file is on disk, looked up on the calling thread: only for callers
     * already on a thread made for blocking work.
     */
    boolean isStored(Digest digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    /** Whether an append or a commit of the upload is running in this process right now. */
    boolean isReceiving(String uploadId) {
        UploadState state = states.get(uploadId);
        return state != null && state.busy.get();
    }

    /**
     * Deletes a blob's file, blocking; only garbage collection and recovery call this, on the I/O
     * scheduler, under the protocol described in {@link GarbageCollector}.
     *
     * @return whether there was a file to delete
     */
    boolean deleteBlobFile(Digest digest) throws IOException {
        return Files.deleteIfExists(blobPath(digest));
    }

    /** How many bytes the upload's running hash covers, or -1 when it has none (tests). */
    long hashedBytes(String uploadId) {
        UploadState state = states.get(uploadId);
        if (state != null && !UploadState.awaitHash(state.lastHash())) {
            return -1;
        }
        Digester digester = state == null ? null : state.digester;
        return digester == null ? -1 : digester.bytes();
    }

    /** Whether some of the upload's bytes still wait to be added to its running hash (tests). */
    boolean hashPending(String uploadId) {
        UploadState state = states.get(uploadId);
        return state != null && !state.lastHash().isDone();
    }

    /** Bytes appended with {@code O_DIRECT} so far (tests). */
    long directBytesWritten() {
        return direct.bytesWritten();
    }

    /** The I/O scheduler file work runs on. */
    Scheduler scheduler() {
        return io;
    }

    /** The directory of finished blobs: {@code <algorithm>/<first two hex>/<hex>} below it. */
    Path blobsRoot() {
        return blobs;
    }

    /** The directory of upload files, one per upload, named by its id. */
    Path uploadsRoot() {
        return uploads;
    }

    /** Forgets the in-memory state of an upload whose file is gone. */
    void forget(String uploadId) {
        states.remove(uploadId);
    }

    Path blobPath(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    private Path uploadPath(String uploadId) {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            throw ErrorCode.BLOB_UPLOAD_UNKNOWN.exception("upload " + uploadId);
        }
        return uploads.resolve(uploadId);
    }

    private static RuntimeException busy(String uploadId) {
        return ErrorCode.BLOB_UPLOAD_INVALID.exception(416, "upload " + uploadId + " is receiving another request");
    }

    private static Long sizeOrNull(Path path) throws IOException {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static long sizeOrThrow(Path path, String uploadId) throws IOException {
        Long size = sizeOrNull(path);
        if (size == null) {
            throw ErrorCode.BLOB_UPLOAD_UNKNOWN.exception("upload " + uploadId);
        }
        return size;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("upload file not deleted, left for cleanup path={} error={}", path, e.toString());
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** How an append puts one buffer into the upload's file. */
    @FunctionalInterface
    interface WriteStep {
        /** Writes every remaining byte of {@code buffer} at the channel's position. */
        void write(FileChannel channel, ByteBuffer buffer) throws IOException;
    }

    /** What Berth remembers of an upload between requests: its running hash, and who writes. */
    static final class UploadState {
        /** Far longer than hashing a few batches takes, even on a machine busy with many uploads. */
        private static final Duration HASH_WAIT = Duration.ofSeconds(30);
        private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
        private final AtomicBoolean busy = new AtomicBoolean();
        /**
         * The running hash of the bytes hashed so far, or {@code null} once it cannot match the
         * file any more. Batches are hashed one after another, in file order, and each checks
         * that the hash has reached exactly the batch's place in the file before adding it.
         */
        volatile Digester digester = Digester.sha256();
        /**
         * The hashes queued or running, oldest first, across appends: hashing may go on after an
         * append has answered, and the next append's batches line up behind it. Touched only by
         * the lock holder (and by test helpers once appends are over).
         */
        private final ArrayDeque<CompletableFuture<Void>> hashes = new ArrayDeque<>();

        boolean tryLock() {
            return busy.compareAndSet(false, true);
        }

        /** Completes once every batch queued so far is in the running hash. */
        CompletableFuture<Void> lastHash() {
            CompletableFuture<Void> last = hashes.peekLast();
            return last != null ? last : DONE;
        }

        /** Adds a batch's hash, which must run after {@link #lastHash()}, to the queue. */
        void queued(CompletableFuture<Void> hash) {
            hashes.add(hash);
        }

        /** Waits for the oldest hashes until at most {@code behind} are queued or running. */
        void awaitAllBut(int behind) {
            while (hashes.size() > behind) {
                if (!awaitHash(hashes.poll())) {
                    digester = null;
                }
            }
        }

        /**
         * Waits until every batch written so far is hashed, or gives the hash up (commit then
         * hashes the file again). Called by the lock holder.
         */
        void awaitHashed() {
            // Each hash runs after the one before it, so the last one done means all are.
            if (!awaitHash(lastHash())) {
                digester = null;
            }
            hashes.clear();
        }

        /**
         * Waits for one queued hash; false when it failed or did not finish in time, such as a
         * task the hashing scheduler dropped while the server stopped.
         */
        static boolean awaitHash(CompletableFuture<Void> hash) {
            try {
                hash.get(HASH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (ExecutionException | CancellationException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void unlock() {
            busy.set(false);
        }
    }
}
