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
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

/** Which idle connections {@link IdleGuard} closes, and which it leaves to finish their work. */
class IdleGuardTest {
    private final IdleGuard guard = new IdleGuard(Duration.ofMinutes(2));
    private final EmbeddedChannel channel = new EmbeddedChannel(guard);

    @Test
    void idle_noRequestYet_closes() {
        idle();

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idle_bodyStoppedArriving_closes() {
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/a/blobs/uploads/1"));
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));

        idle();

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idle_requestInAndAnswerPending_staysOpen() {
        channel.writeInbound(get());

        idle();

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void idle_afterAnswerWritten_closes() {
        channel.writeInbound(get());
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        idle();

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idle_continueSentAndBodyIn_staysOpenUntilRealAnswer() {
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/v2/a/blobs/uploads/1"));
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);

        idle();
        assertThat(channel.isOpen()).isTrue();

        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED));
        idle();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idle_twoPipelinedRequestsOneAnswered_staysOpen() {
        channel.writeInbound(get());
        channel.writeInbound(get());
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));

        idle();

        assertThat(channel.isOpen()).isTrue();
    }

    private static DefaultFullHttpRequest get() {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v2/a/manifests/latest");
    }

    private void idle() {
        guard.channelIdle(channel.pipeline().context(guard), IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        channel.runPendingTasks();
    }
}
