package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ManifestFastPath} answers itself and what it passes on, over Netty's real HTTP
 * codec: raw request bytes in, raw answer bytes out. The answers come from a table of paths; the
 * handler after it records what reached Reactor Netty's place in the pipeline.
 */
class ManifestFastPathTest {
    private static final String HIT = "/v2/app/manifests/v1";
    private static final String MISS = "/v2/app/manifests/v2";
    private static final String FAILS = "/v2/app/manifests/v3";

    private final List<Object> passedOn = new ArrayList<>();
    private final List<String> asked = new ArrayList<>();
    private final List<String> counted = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
            new ManifestFastPath(this::answer, (request, nanos) -> counted.add(request.uri()), null),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    passedOn.add(msg instanceof HttpRequest request ? request.method() + " " + request.uri()
                            : msg instanceof LastHttpContent ? "end" : msg.getClass().getSimpleName());
                    ReferenceCountUtil.release(msg);
                }
            });

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private FullHttpResponse answer(HttpRequest request) {
        asked.add(request.uri());
        if (FAILS.equals(request.uri())) {
            throw new IllegalStateException("a bug in the lookup");
        }
        if (!HIT.equals(request.uri())) {
            return null;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("manifest", StandardCharsets.US_ASCII));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 8);
        return response;
    }

    @Test
    void get_answerKnown_answeredHereAndNothingPassedOn() {
        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nmanifest");
        assertThat(passedOn).isEmpty();
    }

    @Test
    void head_answerKnown_answeredWithoutBody() {
        send("HEAD " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: 8").endsWith("\r\n\r\n");
        assertThat(passedOn).isEmpty();
    }

    @Test
    void get_answerUnknown_passedOnWhole() {
        send("GET " + MISS + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(written()).isEmpty();
        assertThat(passedOn).containsExactly("GET " + MISS, "end");
    }

    @Test
    void get_earlierRequestUnanswered_passedOnUntilItsAnswerIsWritten() {
        send("GET " + MISS + " HTTP/1.1\r\nHost: x\r\n\r\nGET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(passedOn).containsExactly("GET " + MISS, "end", "GET " + HIT, "end");
        assertThat(written()).isEmpty();

        // The first answer, in two parts: only its end counts.
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(passedOn).hasSize(6);
        channel.writeOutbound(fullAnswer(HttpResponseStatus.NOT_FOUND));
        channel.writeOutbound(fullAnswer(HttpResponseStatus.NOT_FOUND));
        written();

        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(passedOn).hasSize(6);
        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("manifest");
    }

    @Test
    void get_interimContinueWritten_stillWaitsForTheFinalAnswer() {
        send("GET " + MISS + " HTTP/1.1\r\nHost: x\r\n\r\n");
        channel.writeOutbound(fullAnswer(HttpResponseStatus.CONTINUE));

        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(passedOn).containsExactly("GET " + MISS, "end", "GET " + HIT, "end");
    }

    @Test
    void get_connectionClose_passedOn() {
        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(passedOn).containsExactly("GET " + HIT, "end");
        assertThat(asked).isEmpty();
    }

    @Test
    void get_http10_passedOn() {
        send("GET " + HIT + " HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");

        assertThat(passedOn).containsExactly("GET " + HIT, "end");
    }

    @Test
    void get_withBody_passedOnWithItsBody() {
        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");

        assertThat(passedOn).containsExactly("GET " + HIT, "end");
        assertThat(asked).isEmpty();
    }

    @Test
    void get_chunkedBody_passedOn() {
        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

        assertThat(passedOn).containsExactly("GET " + HIT, "end");
        assertThat(asked).isEmpty();
    }

    @Test
    void get_malformedHeader_passedOnForTheServerToRefuse() {
        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");

        assertThat(passedOn).isNotEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void get_answered_countedOnce() {
        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\nGET " + MISS + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(counted).containsExactly(HIT);
    }

    @Test
    void get_connectionNotWritable_passedOnSoAnswersDoNotPileUp() {
        // A client that sends and never reads: its answers wait in the outgoing buffer.
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.pipeline().firstContext().write(Unpooled.wrappedBuffer(new byte[64]));
        assertThat(channel.isWritable()).isFalse();

        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(passedOn).containsExactly("GET " + HIT, "end");
        assertThat(asked).isEmpty();
    }

    @Test
    void get_answerFails_passedOnAndLaterRequestsStillAnswered() {
        send("GET " + FAILS + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(passedOn).containsExactly("GET " + FAILS, "end");
        assertThat(counted).isEmpty();
        channel.writeOutbound(fullAnswer(HttpResponseStatus.NOT_FOUND));
        written();

        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n");
    }

    @Test
    void get_afterAnswerThatClosesTheConnection_notAnswered() {
        send("GET " + MISS + " HTTP/1.1\r\nHost: x\r\n\r\n");
        FullHttpResponse closes = fullAnswer(HttpResponseStatus.BAD_REQUEST);
        closes.headers().set(HttpHeaderNames.CONNECTION, "close");
        channel.writeOutbound(closes);
        written();

        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(written()).isEmpty();
        assertThat(asked).containsExactly(MISS);
    }

    @Test
    void get_arrivesWhole_answeredReleasedAndTheNextEndFrameKept() {
        FullHttpRequest whole = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, HIT,
                Unpooled.buffer(0));

        channel.writeInbound(whole);

        assertThat(whole.refCnt()).isZero();
        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n");
        send("GET " + MISS + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(passedOn).containsExactly("GET " + MISS, "end");
    }

    @Test
    void get_answeredWithAutoReadOff_turnsAutoReadOn() {
        channel.config().setAutoRead(false);

        send("GET " + HIT + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    private static FullHttpResponse fullAnswer(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    /** Everything written to the connection since the last call, as text. */
    private String written() {
        StringBuilder text = new StringBuilder();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf bytes = (ByteBuf) out;
            text.append(bytes.toString(StandardCharsets.US_ASCII));
            bytes.release();
        }
        return text.toString();
    }
}
