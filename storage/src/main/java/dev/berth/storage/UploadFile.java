package dev.berth.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.nio.file.ExtendedOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upload's file, open for one append. Where the file system allows it, whole blocks go to
 * disk with {@code O_DIRECT}, past the page cache; the last part block of each append is
 * written the ordinary way, so the file always holds exactly the bytes appended.
 *
 * <p>Why not the page cache: an upload is written once and read rarely soon after, and
 * every byte of it would first become a dirty cache page that the commit's {@code fsync} then
 * has to write out. Filling new cache pages costs kernel CPU per page. On virtual machines
 * whose memory the host hands out lazily, that is several times the cost of the disk write
 * itself: 0.8 s of system time per 256 MiB against 0.03 s with {@code O_DIRECT}, measured with
 * {@code dd conv=fsync} on the machine that runs the benchmark. Direct writes also keep large
 * pushes from pushing hot manifests and layers out of the cache.
 *
 * <p>Bytes are gathered in an aligned buffer of {@link #STAGE_BYTES} and written a buffer at a
 * time. An append that starts in the middle of a block first reads that block's start back
 * from the file, then writes the whole block again. Buffers come from a small pool; when it is
 * empty, or the file system refuses {@code O_DIRECT} (tmpfs on older kernels, some network
 * file systems), the append writes through the page cache as before.
 *
 * <p>Not thread-safe: the {@link UploadWriter} that owns it lets one thread at a time in.
 */
final class UploadFile {
    /** Bytes gathered before each direct write: past this size, larger writes were no faster. */
    static final int STAGE_BYTES = 512 * 1024;

    private final FileChannel channel;
    private final Direct direct;
    private final FileBlobStore.WriteStep writeStep;
    private final Path path;
    /** Aligned; {@code null} when this append writes through the page cache only. */
    private ByteBuffer stage;
    /** The file offset of the stage's first byte, a multiple of the block size. */
    private long stageStart;
    private FileChannel directChannel;
    /** This append could not open the file for direct writes; its blocks go through the page cache. */
    private boolean directRefused;
    private long position;
    private boolean started;
    private boolean closed;
    private boolean unflushed;
    /** A write failed: the file holds a prefix of the append, and nothing more is written. */
    private boolean failed;

    private UploadFile(Path path, FileChannel channel, Direct direct, FileBlobStore.WriteStep writeStep)
            throws IOException {
        this.path = path;
        this.channel = channel;
        this.direct = direct;
        this.writeStep = writeStep;
        this.position = channel.size();
        channel.position(position);
    }

    /**
     * Opens the upload's file; the caller checks {@link #size()} before appending.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such upload file
     */
    static UploadFile open(Path path, Direct direct, FileBlobStore.WriteStep writeStep) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new UploadFile(path, channel, direct, writeStep);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The file's size, which is where this append starts. */
    long size() {
        return position;
    }

    /** Where the next byte goes: the file's size once everything appended is flushed. */
    long position() {
        return position;
    }

    /** Appends every remaining byte of {@code source}; refused once the file is closed. */
    void append(ByteBuffer source) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (failed) {
            throw new IOException("an earlier write of this append failed");
        }
        if (!started) {
            started = true;
            startStage();
        }
        int length = source.remaining();
        if (stage == null) {
            writeStep.write(channel, source);
            position += length;
            return;
        }
        unflushed = true;
        while (source.hasRemaining()) {
            int count = Math.min(stage.remaining(), source.remaining());
            stage.put(source.slice(source.position(), count));
            source.position(source.position() + count);
            if (!stage.hasRemaining()) {
                writeBlocks();
            }
        }
        position += length;
    }

    /**
     * Takes a buffer for direct writes, once, before the first byte: with the start of a part
     * block read back from the file, so that block can be written whole.
     */
    private void startStage() throws IOException {
        ByteBuffer buffer = direct.acquire();
        if (buffer == null) {
            return;
        }
        long start = position - position % direct.blockSize();
        int head = (int) (position - start);
        buffer.limit(head);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, start + buffer.position()) < 0) {
                    // The file is shorter than it was a moment ago: leave it to the page cache path.
                    direct.release(buffer);
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            direct.release(buffer);
            throw e;
        }
        buffer.limit(buffer.capacity());
        stage = buffer;
        stageStart = start;
    }

    /**
     * Writes the whole blocks gathered so far now, instead of when the stage is full: for the
     * last, small batches of a body, so the disk work left after its last byte stays small.
     */
    void writeStaged() throws IOException {
        if (stage != null && !closed && !failed && stage.position() >= direct.blockSize()) {
            writeBlocks();
        }
    }

    /** Writes the stage's whole blocks directly and keeps the part block that follows them. */
    private void writeBlocks() throws IOException {
        try {
            writeWholeBlocks();
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void writeWholeBlocks() throws IOException {
        stage.flip();
        int whole = stage.limit() - stage.limit() % direct.blockSize();
        if (whole > 0) {
            if (directChannel == null && !directRefused) {
                directChannel = direct.open(path);
                directRefused = directChannel == null;
            }
            ByteBuffer blocks = stage.duplicate().limit(whole);
            if (directChannel != null) {
                directChannel.position(stageStart);
                writeStep.write(directChannel, blocks);
                direct.bytesWritten.addAndGet(whole);
            } else {
                channel.position(stageStart);
                writeStep.write(channel, blocks);
            }
            stageStart += whole;
        }
        stage.position(whole);
        stage.compact();
    }

    /**
     * Puts every byte appended so far into the file: whole blocks directly, the part block that
     * ends the append through the page cache.
     */
    void flush() throws IOException {
        if (!unflushed || failed || closed) {
            return;
        }
        writeBlocks();
        ByteBuffer tail = stage.duplicate().flip();
        if (tail.hasRemaining()) {
            try {
                channel.position(stageStart);
                writeStep.write(channel, tail);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }
        unflushed = false;
    }

    /**
     * Flushes and closes the file, and hands the buffer back whatever happened.
     *
     * @throws IOException when the last bytes could not be written; the file then holds a
     *         prefix of what was appended
     */
    void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            try {
                if (directChannel != null) {
                    directChannel.close();
                }
            } finally {
                closed = true;
                channel.close();
                if (stage != null) {
                    direct.release(stage);
                    stage = null;
                }
            }
        }
    }

    /**
     * The direct-write setting of one blob store: the block size, whether the file system
     * takes {@code O_DIRECT}, and the pool of aligned buffers.
     */
    static final class Direct {
        /** At most this many buffers exist (16 MiB); appends beyond them use the page cache. */
        private static final int MAX_STAGES = 32;
        private static final String PROBE = ".direct-write-probe";
        private static final Logger LOG = LoggerFactory.getLogger(UploadFile.class);

        private final int blockSize;
        private final boolean on;
        private final Queue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
        private final AtomicInteger allocated = new AtomicInteger();
        /** Bytes written with {@code O_DIRECT} so far, for tests. */
        private final AtomicLong bytesWritten = new AtomicLong();

        private Direct(int blockSize, boolean on) {
            this.blockSize = blockSize;
            this.on = on;
        }

        /**
         * Direct writes for files under {@code directory} if its file system takes them: decided
         * once, by writing one block to a probe file there with {@code O_DIRECT}. Some file
         * systems accept the flag when a file is opened and refuse the writes.
         */
        static Direct forDirectory(Path directory) {
            Path probe = directory.resolve(PROBE);
            try {
                long size = Files.getFileStore(directory).getBlockSize();
                if (size < 512 || size > STAGE_BYTES || Long.bitCount(size) != 1) {
                    LOG.info("uploads are written through the page cache directory={} blockSize={}", directory, size);
                    return off();
                }
                ByteBuffer block = ByteBuffer.allocateDirect((int) size * 2).alignedSlice((int) size);
                block.limit((int) size);
                try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                    while (block.hasRemaining()) {
                        channel.write(block);
                    }
                }
                return new Direct((int) size, true);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.info("the file system refused O_DIRECT; uploads are written through the page cache"
                        + " directory={} error={}", directory, e.toString());
                return off();
            } finally {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException e) {
                    LOG.warn("direct-write probe file not deleted path={} error={}", probe, e.toString());
                }
            }
        }

        /** No direct writes: every append goes through the page cache. */
        static Direct off() {
            return new Direct(4096, false);
        }

        int blockSize() {
            return blockSize;
        }

        long bytesWritten() {
            return bytesWritten.get();
        }

        /** A buffer for one append, or {@code null} when direct writes are off or the pool is spent. */
        ByteBuffer acquire() {
            if (!on) {
                return null;
            }
            ByteBuffer buffer = free.poll();
            if (buffer != null) {
                return buffer;
            }
            if (allocated.incrementAndGet() > MAX_STAGES) {
                allocated.decrementAndGet();
                return null;
            }
            try {
                return ByteBuffer.allocateDirect(STAGE_BYTES + blockSize).alignedSlice(blockSize)
                        .limit(STAGE_BYTES).slice();
            } catch (OutOfMemoryError e) {
                // Direct memory is spent: this append goes through the page cache instead.
                allocated.decrementAndGet();
                return null;
            }
        }

        void release(ByteBuffer buffer) {
            buffer.clear();
            free.offer(buffer);
        }

        /**
         * The file opened for direct writes, or {@code null} when that fails (too many open files,
         * say); that append then writes its blocks through the page cache.
         */
        FileChannel open(Path path) {
            try {
                return FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warn("upload file not opened for direct writes path={} error={}", path, e.toString());
                return null;
            }
        }
    }
}
