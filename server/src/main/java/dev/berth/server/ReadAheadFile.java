package dev.berth.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import reactor.core.scheduler.Scheduler;

/**
 * One range of a blob file sent as a stream of buffers that file threads read ahead of the
 * network thread. The network thread only writes buffers to the socket; reading the file, which
 * can wait on the disk, happens on {@code reads}, and at most {@link #AHEAD} buffers are read
 * ahead of what the socket took, so a response holds at most that many buffers however slow its
 * client is, besides the one the connection may still be sending.
 *
 * <p>Netty's {@link ChunkedWriteHandler} pulls buffers while the connection can take more; when
 * none is ready this answers null, and the read that finishes next asks the handler to go on.
 *
 * <p>Every field is touched only on the connection's event loop; a file thread only reads into a
 * buffer it was handed and passes the buffer back to the event loop.
 */
final class ReadAheadFile implements ChunkedInput<ByteBuf> {
    /** Bytes per read and per buffer written. */
    static final int CHUNK = 512 * 1024;
    /** Buffers read but not yet taken by the socket, including the one being read. */
    static final int AHEAD = 2;

    private final FileChannel file;
    private final long start;
    private final long length;
    private final Channel channel;
    private final Scheduler reads;
    /** Reads in file order, finished or not; the socket takes them from the head. */
    private final ArrayDeque<Slot> slots = new ArrayDeque<>(AHEAD);
    /** Bytes read so far, including reads still running. */
    private long requested;
    /** Bytes handed to the socket so far. */
    private long taken;
    private IOException failure;
    private boolean closed;

    ReadAheadFile(FileChannel file, long start, long length, Channel channel, Scheduler reads) {
        this.file = file;
        this.start = start;
        this.length = length;
        this.channel = channel;
        this.reads = reads;
    }

    @Override
    public boolean isEndOfInput() {
        return taken >= length;
    }

    @Override
    public void close() {
        closed = true;
        Slot slot;
        while ((slot = slots.poll()) != null) {
            if (slot.done) {
                slot.buffer.release();
            } else {
                slot.abandoned = true;
            }
        }
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext context) throws Exception {
        return readChunk(context.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (failure != null) {
            throw failure;
        }
        Slot head = slots.peek();
        ByteBuf buffer = null;
        if (head != null && head.done) {
            slots.poll();
            buffer = head.buffer;
            taken += buffer.readableBytes();
        }
        try {
            readAhead();
        } catch (RuntimeException | Error e) {
            // Out of direct memory, say: the buffer taken above is in no slot any more.
            ReferenceCountUtil.release(buffer);
            throw e;
        }
        if (buffer == null && failure != null) {
            // No read is left to resume the transfer: end it now.
            throw failure;
        }
        return buffer;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return taken;
    }

    /** Starts reads until {@link #AHEAD} buffers are ready or on their way. */
    private void readAhead() {
        while (!closed && requested < length && slots.size() < AHEAD) {
            int size = (int) Math.min(CHUNK, length - requested);
            long position = start + requested;
            requested += size;
            Slot slot = new Slot(channel.alloc().directBuffer(size, size));
            slots.add(slot);
            try {
                reads.schedule(() -> read(slot, position, size));
            } catch (RuntimeException e) {
                // The file threads are gone: the server is stopping.
                slots.removeLast();
                slot.buffer.release();
                failure = new IOException("cannot read the blob file: " + e.getMessage(), e);
                return;
            }
        }
    }

    /** On a file thread: fills {@code buffer} from {@code position}, then hands it back. */
    private void read(Slot slot, long position, int size) {
        ByteBuf buffer = slot.buffer;
        IOException error = null;
        try {
            int filled = 0;
            while (filled < size) {
                int n = buffer.writeBytes(file, position + filled, size - filled);
                if (n < 0) {
                    throw new IOException("blob file ended " + (size - filled) + " bytes early");
                }
                filled += n;
            }
        } catch (IOException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new IOException("cannot read the blob file: " + e, e);
        }
        IOException outcome = error;
        try {
            channel.eventLoop().execute(() -> arrived(slot, outcome));
        } catch (RejectedExecutionException e) {
            // The event loop has stopped, and the connection with it.
            slot.buffer.release();
        }
    }

    /** On the event loop: keeps a finished read and lets the writer go on. */
    private void arrived(Slot slot, IOException error) {
        if (slot.abandoned || error != null) {
            ReferenceCountUtil.release(slot.buffer);
            if (error != null && failure == null) {
                failure = error;
            }
        } else {
            slot.done = true;
        }
        ChunkedWriteHandler writer = channel.pipeline().get(ChunkedWriteHandler.class);
        if (writer != null && !closed) {
            writer.resumeTransfer();
        }
    }

    /** One buffer being read or read, in its place in the file. */
    private static final class Slot {
        final ByteBuf buffer;
        boolean done;
        boolean abandoned;

        Slot(ByteBuf buffer) {
            this.buffer = buffer;
        }
    }
}
