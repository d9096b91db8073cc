package dev.berth.server;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Closes plain HTTP/1.1 connections that stopped sending: a keep-alive connection with no
 * request for the timeout since its last answer, or a request whose body stopped arriving for
 * that long. A request whose body is in and whose answer is still being worked on (a long
 * garbage collection, a large blob going out to a slow reader) is left alone, and so is a
 * pipelined request waiting behind it.
 *
 * <p>Why not Reactor Netty's {@code idleTimeout} and {@code readTimeout}: they add a timeout
 * handler to the pipeline and remove it again around every request, and the timer work and
 * pipeline changes cost about a tenth of the CPU of a manifest GET. This handler is installed
 * once per connection, after the HTTP codec, keeps one timer, and only counts what passes. TLS
 * connections, whose codec is chosen later by ALPN, keep Reactor Netty's timeouts.
 */
final class IdleGuard extends ChannelDuplexHandler {
    /** The pipeline name of the handler. */
    static final String NAME = "berth.idleGuard";

    private final long timeoutNanos;
    /** When a read arrived or an answer ended, whichever was last. */
    private long lastActivity;
    /** Requests read whose answer has not been written to its end. */
    private int unanswered;
    /** A request has started and the end of its body has not arrived. */
    private boolean readingBody;
    private ScheduledFuture<?> check;

    IdleGuard(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastActivity = System.nanoTime();
        if (ctx.channel().isRegistered()) {
            schedule(ctx, timeoutNanos);
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        if (check == null) {
            schedule(ctx, timeoutNanos);
        }
        super.channelRegistered(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastActivity = System.nanoTime();
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
        if (unanswered > 0 && endsAnswer(msg)) {
            unanswered--;
            lastActivity = System.nanoTime();
        }
        super.write(ctx, msg, promise);
    }

    /**
     * Whether writing {@code msg} completes the answer to a request: the end of a response that
     * is not an interim one such as {@code 100 Continue}.
     */
    static boolean endsAnswer(Object msg) {
        return msg instanceof LastHttpContent && !(msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL);
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> checkIdle(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkIdle(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long idle = System.nanoTime() - lastActivity;
        if (idle >= timeoutNanos && shouldClose()) {
            ctx.close();
            return;
        }
        schedule(ctx, idle >= timeoutNanos ? timeoutNanos : timeoutNanos - idle);
    }

    /**
     * Nothing is asked of the server, or the one request it is reading stopped in the middle of
     * its body. With more than one request in, the server is still answering an earlier one and
     * has stopped reading on purpose.
     */
    boolean shouldClose() {
        return unanswered == 0 || readingBody && unanswered == 1;
    }
}
