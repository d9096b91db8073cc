package dev.berth.server;

import java.io.ByteArrayOutputStream;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A request body read into memory up to a size limit: manifests and token forms. A body over
 * {@code keep} bytes is refused with the caller's error; one up to {@code drain} bytes is first
 * read to its end without being kept, since a client still sending when the answer comes would
 * see a reset connection instead of the error. Past {@code drain} the error comes at once.
 */
final class LimitedBody {
    private final int keep;
    private final long drain;
    private final Supplier<RuntimeException> tooLarge;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;

    private LimitedBody(int keep, long drain, Supplier<RuntimeException> tooLarge) {
        this.keep = keep;
        this.drain = drain;
        this.tooLarge = tooLarge;
    }

    /** The body's bytes, or {@code tooLarge}'s error when it has more than {@code keep}. */
    static Mono<byte[]> read(HttpServerRequest request, int keep, long drain, Supplier<RuntimeException> tooLarge) {
        return request.receive()
                .collect(() -> new LimitedBody(keep, drain, tooLarge), LimitedBody::append)
                .map(LimitedBody::bytes);
    }

    private void append(ByteBuf buf) {
        int readable = buf.readableBytes();
        total += readable;
        if (total > drain) {
            throw tooLarge.get();
        }
        if (total <= keep) {
            byte[] chunk = new byte[readable];
            buf.readBytes(chunk);
            kept.write(chunk, 0, readable);
        }
    }

    private byte[] bytes() {
        if (total > keep) {
            throw tooLarge.get();
        }
        return kept.toByteArray();
    }
}
