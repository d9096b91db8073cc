package dev.berth.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Closes plain HTTP/1.1 connections that stopped sending: a keep-alive connection with no
 * request for the timeout, or a request whose body stopped arriving for that long. A request
 * whose body is in and whose answer is still being worked on (a long garbage collection, a
 * large blob going out to a slow reader) is left alone.
 *
 * <p>Why not Reactor Netty's {@code idleTimeout} and {@code readTimeout}: they add a timeout
 * handler to the pipeline and remove it again around every request, and the timer work and
 * pipeline changes cost about a tenth of the CPU of a manifest GET. This handler is installed
 * once per connection, after the HTTP codec, and only counts what passes. TLS connections, whose
 * codec is chosen later by ALPN, keep Reactor Netty's timeouts.
 */
final class IdleGuard extends IdleStateHandler {
    /** The pipeline name of the handler. */
    static final String NAME = "berth.idleGuard";

    /** Requests read whose answer has not been written to its end. */
    private int unanswered;
    /** A request has started and the end of its body has not arrived. */
    private boolean readingBody;

    IdleGuard(Duration timeout) {
        super(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            unanswered++;
            readingBody = true;
        }
        if (msg instanceof LastHttpContent) {
            readingBody = false;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        boolean informational = msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && !informational && unanswered > 0) {
            unanswered--;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (shouldClose()) {
            ctx.close();
        }
    }

    /** Nothing is asked of the server, or the client stopped in the middle of a body. */
    boolean shouldClose() {
        return unanswered == 0 || readingBody;
    }
}
