package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@link ReadAheadFile} behind Netty's {@link ChunkedWriteHandler} on an embedded channel. File
 * reads go to a list the test runs when and in whatever order it likes, so reads that finish
 * out of order and connections closed mid-read are played out exactly.
 */
class ReadAheadFileTest {
    private static final int CHUNK = ReadAheadFile.CHUNK;

    @TempDir
    Path dir;

    private final List<Runnable> reads = new ArrayList<>();
    private final Scheduler readScheduler = Schedulers.fromExecutor(reads::add);
    private final List<ByteBuf> allocated = new ArrayList<>();
    private EmbeddedChannel channel;
    private byte[] content;
    private FileChannel file;

    @BeforeEach
    void setUp() throws IOException {
        channel = new EmbeddedChannel(new ChunkedWriteHandler());
        // Every buffer the input takes is kept, so the tests can check that each was released.
        channel.config().setAllocator(new AbstractByteBufAllocator(false) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                return Unpooled.buffer(initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf buffer = Unpooled.directBuffer(initialCapacity, maxCapacity);
                allocated.add(buffer);
                return buffer;
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        });
        content = new byte[3 * CHUNK + 5];
        new Random(11).nextBytes(content);
        Path path = Files.write(dir.resolve("blob"), content);
        file = FileChannel.open(path, StandardOpenOption.READ);
    }

    @AfterEach
    void tearDown() throws IOException {
        file.close();
        channel.finishAndReleaseAll();
        readScheduler.dispose();
    }

    @Test
    void wholeFile_arrivesInOrderAndReleasesEveryBuffer() {
        ChannelFuture sent = channel.writeAndFlush(new ReadAheadFile(file, 0, content.length, channel, readScheduler));
        runReadsInOrder(sent);

        assertThat(sent.isSuccess()).isTrue();
        assertThat(written()).isEqualTo(content);
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void range_acrossAChunkBoundary_sendsExactlyThoseBytes() {
        long start = CHUNK - 3;
        int length = CHUNK + 10;
        ChannelFuture sent = channel.writeAndFlush(new ReadAheadFile(file, start, length, channel, readScheduler));
        runReadsInOrder(sent);

        assertThat(sent.isSuccess()).isTrue();
        byte[] expected = new byte[length];
        System.arraycopy(content, (int) start, expected, 0, length);
        assertThat(written()).isEqualTo(expected);
    }

    @Test
    void readsFinishingOutOfOrder_stillSendTheFileInOrder() {
        ChannelFuture sent = channel.writeAndFlush(new ReadAheadFile(file, 0, content.length, channel, readScheduler));
        while (!sent.isDone()) {
            assertThat(reads).as("reads waiting while the send is unfinished").isNotEmpty();
            List<Runnable> batch = new ArrayList<>(reads);
            reads.clear();
            Collections.reverse(batch);
            batch.forEach(Runnable::run);
            channel.runPendingTasks();
        }

        assertThat(sent.isSuccess()).isTrue();
        assertThat(written()).isEqualTo(content);
    }

    @Test
    void atMostTwoBuffersAreReadAheadOfTheSocket() {
        channel.writeAndFlush(new ReadAheadFile(file, 0, content.length, channel, readScheduler));

        // Nothing has been read yet, and only AHEAD reads may have been started.
        assertThat(reads).hasSize(ReadAheadFile.AHEAD);
        assertThat(allocated).hasSize(ReadAheadFile.AHEAD);
    }

    @Test
    void fileShorterThanTheRange_failsTheSendAndReleasesEveryBuffer() {
        int pastTheEnd = content.length + CHUNK;
        ChannelFuture sent = channel.writeAndFlush(new ReadAheadFile(file, 0, pastTheEnd, channel, readScheduler));
        runReadsInOrder(sent);

        assertThat(sent.isSuccess()).isFalse();
        assertThat(sent.cause()).isInstanceOf(IOException.class).hasMessageContaining("ended");
        // A read started before the failure came back still finishes, and frees its buffer.
        runLeftoverReads();
        written();
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void connectionClosedWhileReadsRun_releasesTheBuffersTheyFill() {
        ChannelFuture sent = channel.writeAndFlush(new ReadAheadFile(file, 0, content.length, channel, readScheduler));
        assertThat(reads).isNotEmpty();

        channel.close();
        runLeftoverReads();

        assertThat(sent.isSuccess()).isFalse();
        written();
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void connectionClosedWithALaterReadDone_releasesItToo() {
        ChannelFuture sent = channel.writeAndFlush(new ReadAheadFile(file, 0, content.length, channel, readScheduler));
        // The second read finishes first and waits behind the first, which is still running.
        assertThat(reads).hasSize(2);
        reads.remove(1).run();
        channel.runPendingTasks();

        channel.close();
        runLeftoverReads();

        assertThat(sent.isSuccess()).isFalse();
        written();
        assertThat(allocated).hasSize(2).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    /** Runs file reads one at a time, letting the channel take each before the next. */
    private void runReadsInOrder(ChannelFuture sent) {
        for (int steps = 0; !sent.isDone() && steps < 1_000; steps++) {
            if (!reads.isEmpty()) {
                reads.remove(0).run();
            }
            channel.runPendingTasks();
        }
        assertThat(sent.isDone()).as("send finished").isTrue();
    }

    private void runLeftoverReads() {
        List<Runnable> late = new ArrayList<>(reads);
        reads.clear();
        late.forEach(Runnable::run);
        channel.runPendingTasks();
        assertThat(reads).as("reads started after the send ended").isEmpty();
    }

    /** Every byte the channel wrote so far; the buffers are released as they are read. */
    private byte[] written() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            out.writeBytes(bytes);
            buffer.release();
        }
        return out.toByteArray();
    }
}
