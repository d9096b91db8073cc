package dev.berth.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * unlocked for the client's next request only once nothing touches its file or hash any more.
 */
final class UploadWriter {
    /** Batches at least this large are hashed on another thread while they are written. */
    private static final int PARALLEL_HASH_BYTES = 64 * 1024;
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
     * Writes a batch to the file while another thread adds it to the running hash: hashing
     * and writing each cost about as much as the other, so a push is bounded by the slower
     * of the two instead of their sum. Both have finished when this returns, and every
     * buffer of the batch is released, whether the write succeeded or not.
     */
    synchronized void write(List<ByteBuf> batch) {
        CompletableFuture<Void> hashed = CompletableFuture.completedFuture(null);
        try {
            hashed = hash(batch);
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
            hashed.join();
        } catch (IOException e) {
            // Part of the batch may be on disk: the hash no longer matches the file, so
            // commit hashes the file again.
            state.digester = null;
            throw diskFailed(e);
        } catch (RuntimeException | Error e) {
            state.digester = null;
            throw e;
        } finally {
            awaitQuietly(hashed);
            FileBlobStore.releaseAll(batch);
        }
    }

    /** Starts hashing the batch: on the CPU scheduler when it is large, here when small. */
    private CompletableFuture<Void> hash(List<ByteBuf> batch) {
        Digester digester = state.digester;
        if (digester == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<ByteBuffer> views = new ArrayList<>(batch.size());
        long bytes = 0;
        for (ByteBuf buf : batch) {
            bytes += buf.readableBytes();
            views.addAll(List.of(buf.nioBuffers()));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                views.forEach(digester::update);
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        };
        if (bytes < PARALLEL_HASH_BYTES) {
            task.run();
            return done;
        }
        try {
            hasher.schedule(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
        return done;
    }

    private static void awaitQuietly(CompletableFuture<Void> hashed) {
        try {
            hashed.join();
        } catch (CompletionException | CancellationException e) {
            // Reported by the caller's own join; here it only has to be over.
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
     * the running hash still covers exactly them, so the client may resume from the size it
     * is told.
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
