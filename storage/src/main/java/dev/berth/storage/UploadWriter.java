package dev.berth.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

import dev.berth.core.Digester;
import dev.berth.core.ErrorCode;

/**
 * One append: the open file, written batch by batch on the I/O scheduler and hashed beside it.
 * Its methods are synchronized: a client that goes away closes the append from another thread
 * while a batch may still be written, and the close waits for that batch, so the upload is
 * unlocked for the client's next request only once nothing touches its file any more.
 *
 * <p>Hashing is not waited for: each batch's hash is queued behind the one before it (see
 * {@link FileBlobStore.UploadState#lastHash()}) and may still run after the append has answered.
 * A client pushing in chunks then sends its next chunk while the last one is hashed, instead
 * of waiting for that too; the commit waits for the whole hash.
 */
final class UploadWriter {
    /** Batches smaller than this are hashed on the I/O thread when nothing is queued before them. */
    private static final int PARALLEL_HASH_BYTES = 64 * 1024;
    /** Batches of an upload whose hash may be queued or running while the next one is written. */
    private static final int HASH_BEHIND = 2;
    private static final Logger LOG = LoggerFactory.getLogger(UploadWriter.class);

    private final String uploadId;
    private final UploadFile file;
    private final FileBlobStore.UploadState state;
    /** Where large batches are hashed: CPU work only, so it never waits for the I/O scheduler. */
    private final Scheduler hasher;
    /** Read without the lock by {@link #isClosed}, which may run on a network thread. */
    private volatile boolean closed;

    UploadWriter(String uploadId, UploadFile file, FileBlobStore.UploadState state, Scheduler hasher) {
        this.uploadId = uploadId;
        this.file = file;
        this.state = state;
        this.hasher = hasher;
    }

    /**
     * Writes a batch to the file and queues it for the running hash: hashing and writing each
     * cost about as much as the other, so a push is bounded by the slower of the two instead of
     * their sum. When this returns the batch is written; its hash may still be queued, but at
     * most {@link #HASH_BEHIND} of the upload's batches are, counting those of earlier appends,
     * so memory stays bounded when hashing is the slower. Every buffer of the batch is released
     * once both are done, whether the write succeeded or not.
     */
    synchronized void write(List<ByteBuf> batch) {
        if (closed) {
            // Cut off between the hand-over and this write: the upload may belong to the next
            // request already, so this batch must touch neither its file nor its hash.
            FileBlobStore.releaseAll(batch);
            return;
        }
        try {
            queueHash(batch, file.position());
            long bytes = 0;
            for (ByteBuf buf : batch) {
                bytes += buf.readableBytes();
                for (ByteBuffer nio : buf.nioBuffers()) {
                    file.append(nio);
                }
            }
            if (bytes < UploadFile.STAGE_BYTES) {
                // One of the small batches that end a body (see FileBlobStore.batches).
                file.writeStaged();
            }
            state.awaitAllBut(HASH_BEHIND);
        } catch (IOException e) {
            // Part of the batch may be on disk: the hash no longer matches the file, so
            // commit hashes the file again.
            state.digester = null;
            throw diskFailed(e);
        } catch (RuntimeException | Error e) {
            state.digester = null;
            throw e;
        } finally {
            FileBlobStore.releaseAll(batch);
        }
    }

    /**
     * Queues the batch, which starts at {@code offset} in the file, behind every hash queued
     * before it. A small batch with nothing queued before it is hashed here and now. The hash
     * holds its own reference to each buffer until it is over.
     */
    private void queueHash(List<ByteBuf> batch, long offset) {
        if (state.digester == null) {
            return;
        }
        List<ByteBuffer> views = new ArrayList<>(batch.size());
        long bytes = 0;
        for (ByteBuf buf : batch) {
            bytes += buf.readableBytes();
            views.addAll(List.of(buf.nioBuffers()));
        }
        CompletableFuture<Void> before = state.lastHash();
        if (bytes < PARALLEL_HASH_BYTES && before.isDone()) {
            addToHash(views, offset);
            return;
        }
        batch.forEach(ByteBuf::retain);
        CompletableFuture<Void> done = before.handleAsync((ignored, error) -> {
            try {
                addToHash(views, offset);
            } catch (Error e) {
                // The hash may hold part of the batch: commit must not trust it.
                state.digester = null;
                throw e;
            } finally {
                FileBlobStore.releaseAll(batch);
            }
            return null;
        }, this::runOnHasher);
        state.queued(done);
    }

    /** Adds the bytes at {@code offset} to the running hash, or gives the hash up if it is not there. */
    private void addToHash(List<ByteBuffer> views, long offset) {
        Digester digester = state.digester;
        if (digester == null) {
            return;
        }
        try {
            if (digester.bytes() != offset) {
                // The file changed without this process hashing it (a restart, a failed write):
                // commit hashes the file again.
                state.digester = null;
                return;
            }
            views.forEach(digester::update);
        } catch (RuntimeException e) {
            state.digester = null;
            LOG.warn("upload hash given up upload={} error={}", uploadId, e.toString());
        }
    }

    private void runOnHasher(Runnable task) {
        try {
            hasher.schedule(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** A failed write is the operator's problem, not the client's: logged once, at ERROR. */
    private RuntimeException diskFailed(IOException e) {
        LOG.error("upload write failed upload={} error={}", uploadId, e.toString());
        return ErrorCode.INSUFFICIENT_STORAGE.exception("the registry could not write the upload;"
                + " it keeps the bytes received before, resume from its Range once space is freed");
    }

    /**
     * Puts every byte received into the file, closes it and returns the upload's size: in one
     * go, so the answer to the request waits for one hand-over to the I/O scheduler, not two.
     */
    synchronized long finish() {
        try {
            file.flush();
        } catch (IOException e) {
            state.digester = null;
            throw diskFailed(e);
        }
        long size = file.position();
        close();
        return size;
    }

    /** Whether {@link #close} has run; never waits for a write in progress. */
    boolean isClosed() {
        return closed;
    }

    /**
     * Ends the append, whether it finished, failed or was cut off: the bytes written stay, and
     * the running hash, once its queued batches are in, covers exactly them, so the client may
     * resume from the size it is told.
     */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            file.close();
        } catch (IOException e) {
            // The file holds a prefix of what was received; commit hashes it again.
            state.digester = null;
            LOG.warn("upload file not closed cleanly upload={} error={}", uploadId, e.toString());
        } finally {
            state.unlock();
        }
    }
}
