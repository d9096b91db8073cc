package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which idle connections {@link IdleGuard} closes, and which it leaves to finish their work,
 * with a timeout of 300 ms and the guard's own timer. Checks that the connection is still open
 * come a third of the timeout in, so a slow machine has 200 ms of slack.
 */
class IdleGuardTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration SOON = TIMEOUT.dividedBy(3);
    private static final Duration LATER = TIMEOUT.plusMillis(100);

    private final EmbeddedChannel channel = new EmbeddedChannel(new IdleGuard(TIMEOUT));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void idle_noRequestYet_closesAfterTimeout() throws Exception {
        pass(SOON);
        assertThat(channel.isOpen()).isTrue();

        pass(LATER);

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idle_bodyStoppedArriving_closes() throws Exception {
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/a/blobs/uploads/1"));
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));

        pass(LATER);

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idle_requestInAndAnswerPending_staysOpen() throws Exception {
        channel.writeInbound(get());

        pass(LATER.multipliedBy(2));

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void idle_afterLongAnswer_waitsAFullTimeoutBeforeClosing() throws Exception {
        channel.writeInbound(get());
        pass(LATER.multipliedBy(2));

        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        pass(SOON);
        assertThat(channel.isOpen()).isTrue();

        pass(LATER);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idle_continueSentAndBodyIn_staysOpenUntilRealAnswer() throws Exception {
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/v2/a/blobs/uploads/1"));
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);

        pass(LATER);
        assertThat(channel.isOpen()).isTrue();

        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED));
        pass(LATER);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idle_pipelinedBodyWaitingBehindAnEarlierAnswer_staysOpen() throws Exception {
        channel.writeInbound(get());
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/a/blobs/uploads/1"));
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1})));

        pass(LATER);

        assertThat(channel.isOpen()).isTrue();
    }

    private static DefaultFullHttpRequest get() {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v2/a/manifests/latest");
    }

    /** Lets {@code time} pass, then runs the guard's timer if it is due. */
    private void pass(Duration time) throws InterruptedException {
        Thread.sleep(time.toMillis());
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }
}
