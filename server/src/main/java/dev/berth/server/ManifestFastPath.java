package dev.berth.server;

import java.util.function.Function;
import java.util.function.ObjLongConsumer;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers manifest {@code GET} and {@code HEAD} requests of a plain HTTP/1.1 connection right in
 * the Netty pipeline, before Reactor Netty sees them, when {@link Router#answerNow} can answer
 * from memory. Every other request, and every such request it cannot answer at once, goes on to
 * Reactor Netty unchanged.
 *
 * <p>Why: pulls start with a manifest request, often a {@code HEAD} alone, and on a busy
 * registry they are the most frequent request by far. Reactor Netty spends most of the CPU of
 * such a small answer on its own per-request machinery: a set of objects for each exchange, and
 * two system calls that switch the connection's reading off and on again around it. Answered
 * here, a cached manifest costs a decode, a lookup and one write.
 *
 * <p>Order on the connection is kept: a request is answered here only when every request before
 * it has been answered in full, so an answer can never overtake an earlier one. The handler
 * counts the requests it passed on and the final answers written back, as {@link IdleGuard}
 * does. A request with a body, {@code Connection: close} or HTTP/1.0 is passed on, so Reactor
 * Netty keeps sole charge of closing connections; after an answer that closes the connection,
 * nothing more is answered here.
 *
 * <p>Memory stays bounded: a client that sends request after request without reading the
 * answers fills the connection's outgoing buffer, which then stops being writable, and from
 * there every request goes to Reactor Netty, which answers one at a time as the client reads.
 *
 * <p>Installed per connection after {@link IdleGuard}, which therefore counts these requests and
 * answers too. TLS connections, whose HTTP codec is chosen later by ALPN, do not get it.
 */
final class ManifestFastPath extends ChannelDuplexHandler {
    /** The pipeline name of the handler. */
    static final String NAME = "berth.manifestFastPath";
    private static final Logger LOG = LoggerFactory.getLogger(ManifestFastPath.class);

    private final Function<HttpRequest, FullHttpResponse> answers;
    private final ObjLongConsumer<HttpRequest> answered;
    private final Logger accessLog;
    /** Requests passed on to Reactor Netty whose final answer has not been written. */
    private int unanswered;
    /** A request was answered here; the end-of-request frame that follows it is dropped. */
    private boolean dropEnd;
    /** An answer written on this connection said it closes; nothing is answered here after it. */
    private boolean closing;

    /**
     * @param answers the whole answer to a request when it is known at once, else {@code null};
     *        {@link Router#answerNow} in the server
     * @param answered told of each request answered here and the nanoseconds from its arrival
     *        until its answer was handed to the connection; {@link Router#answeredNow} in the
     *        server, which counts it as the full path counts its requests
     * @param accessLog where to write one line per answered request, as Reactor Netty's access
     *        log does for the others; {@code null} for none
     */
    ManifestFastPath(Function<HttpRequest, FullHttpResponse> answers, ObjLongConsumer<HttpRequest> answered,
            Logger accessLog) {
        this.answers = answers;
        this.answered = answered;
        this.accessLog = accessLog;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (dropEnd && msg instanceof LastHttpContent) {
            dropEnd = false;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (unanswered == 0 && !closing && ctx.channel().isWritable() && answerable(request)) {
                long started = System.nanoTime();
                FullHttpResponse response = answer(request);
                if (response != null) {
                    // The decoder hands a request on without its end frame, which follows; a
                    // request that arrives whole (after an aggregator) has none to drop.
                    dropEnd = !(msg instanceof LastHttpContent);
                    ReferenceCountUtil.release(msg);
                    String length = response.headers().get(HttpHeaderNames.CONTENT_LENGTH);
                    ctx.writeAndFlush(response, ctx.voidPromise());
                    keepReading(ctx);
                    long nanos = System.nanoTime() - started;
                    answered.accept(request, nanos);
                    if (accessLog != null) {
                        log(ctx, request, length, nanos);
                    }
                    return;
                }
            }
            unanswered++;
        }
        super.channelRead(ctx, msg);
    }

    /**
     * The answer, or {@code null} to pass the request on. A failure here must not lose the
     * request: it is logged, and the full path answers it (with an error of its own if it fails
     * there too).
     */
    private FullHttpResponse answer(HttpRequest request) {
        try {
            return answers.apply(request);
        } catch (RuntimeException e) {
            LOG.warn("answering from memory failed, passing the request on uri={} error={}", request.uri(),
                    e.toString());
            return null;
        }
    }

    /**
     * Reactor Netty opens connections with auto-read off and asks for each read itself; it would
     * not ask again after a request it never saw. Auto-read on is also the state it leaves a
     * connection in after each request it answers, and it turns it off again where it needs to
     * hold back pipelined requests. Leaving it on spares the two system calls per request that
     * turning the read interest off and on costs.
     */
    private static void keepReading(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * A well-formed keep-alive HTTP/1.1 request without a body. Netty's decoder hands such a
     * request on together with its (empty) end frame, so nothing of it is left to read once it
     * is answered.
     */
    private static boolean answerable(HttpRequest request) {
        return request.decoderResult().isSuccess()
                && HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                && HttpUtil.isKeepAlive(request)
                && !HttpUtil.isTransferEncodingChunked(request)
                && HttpUtil.getContentLength(request, 0L) == 0L;
    }

    /**
     * Counts the final answers Reactor Netty writes, and notes one that closes the connection:
     * Reactor Netty drops whatever the client sent after it, and so must this handler.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
                && !HttpUtil.isKeepAlive(response)) {
            closing = true;
        }
        if (unanswered > 0 && IdleGuard.endsAnswer(msg)) {
            unanswered--;
        }
        super.write(ctx, msg, promise);
    }

    private void log(ChannelHandlerContext ctx, HttpRequest request, String bytes, long nanos) {
        accessLog.info("method={} uri={} status={} bytes={} ms={} remote={}", request.method(), request.uri(), 200,
                bytes, nanos / 1_000_000, ctx.channel().remoteAddress());
    }
}
