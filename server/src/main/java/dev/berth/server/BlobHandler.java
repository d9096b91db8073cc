package dev.berth.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.core.ByteRange;
import dev.berth.core.Digest;
import dev.berth.core.ErrorCode;
import dev.berth.core.MediaType;
import dev.berth.core.RepositoryName;
import dev.berth.storage.BlobStore;
import dev.berth.storage.MetadataStore;

/**
 * {@code /v2/<name>/blobs/<digest>}: download (whole or one byte range) and unlink.
 *
 * <p>Up to {@link #READ_AHEAD_RESPONSES} downloads at once are read by file threads a few
 * buffers ahead of the socket (see {@link ReadAheadFile}): the network thread then only writes,
 * never waits on the disk, and reading and sending one response run on two cores. Downloads
 * beyond that are handed to the kernel's {@code sendfile}, which needs no buffers at all, so the
 * memory downloads hold stays bounded however many clients pull at once: two buffers read ahead
 * and one being sent, 1.5 MiB a download, 24 MiB for all of them.
 */
final class BlobHandler {
    /** Downloads read ahead at once, each holding up to 1.5 MiB of buffers. */
    static final int READ_AHEAD_RESPONSES = 16;
    private static final Logger LOG = LoggerFactory.getLogger(BlobHandler.class);
    private static final String CHUNKED_WRITER = "berth.chunkedWriter";

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final Scheduler reads;
    private final int readAheadLimit;
    private final Semaphore readAhead;
    private final LongAdder readAheadStarted = new LongAdder();

    /**
     * @param reads where blob files are read for downloads
     * @param readAheadResponses downloads read ahead at once; the rest use {@code sendfile}
     */
    BlobHandler(MetadataStore metadata, BlobStore blobs, Scheduler reads, int readAheadResponses) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.reads = reads;
        this.readAheadLimit = readAheadResponses;
        this.readAhead = new Semaphore(readAheadResponses);
    }

    Mono<Void> get(HttpServerRequest request, HttpServerResponse response, RepositoryName name, String text) {
        Digest digest = Digest.parse(text);
        return metadata.findBlobSize(name, digest)
                .switchIfEmpty(Mono.error(() -> unknown(name, digest)))
                .flatMap(size -> blobs.find(digest)
                        .switchIfEmpty(Mono.error(() -> unknown(name, digest)))
                        .flatMap(path -> send(request, response, digest, path, size)));
    }

    private Mono<Void> send(HttpServerRequest request, HttpServerResponse response, Digest digest,
            Path path, long size) {
        ByteRange range = ByteRange.resolve(request.requestHeaders().get(HttpHeaderNames.RANGE), size);
        long offset = range == null ? 0 : range.start();
        long length = range == null ? size : range.length();

        response.header(HttpHeaderNames.CONTENT_TYPE, MediaType.OCTET_STREAM)
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(length))
                .header(HttpHeaderNames.ACCEPT_RANGES, "bytes")
                .header(HttpHeaderNames.ETAG, "\"" + digest + "\"")
                .header(Http.DOCKER_CONTENT_DIGEST, digest.toString());
        if (range != null) {
            response.status(HttpResponseStatus.PARTIAL_CONTENT)
                    .header(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
        }
        if (HttpMethod.HEAD.equals(request.method()) || length == 0) {
            return response.send().then();
        }
        return Mono.defer(() -> {
            // A permit is taken only once the download starts, so one never leaks unsubscribed.
            if (!readAhead.tryAcquire()) {
                return response.sendFile(path, offset, length).then();
            }
            readAheadStarted.increment();
            return response.sendUsing(() -> open(path),
                            (connection, file) -> readAhead(connection, file, offset, length),
                            BlobHandler::close)
                    .then()
                    .doFinally(signal -> readAhead.release());
        });
    }

    /** Downloads being read ahead right now. */
    int readAheadInUse() {
        return readAheadLimit - readAhead.availablePermits();
    }

    /** Downloads read ahead since the server started. */
    long readAheadStarted() {
        return readAheadStarted.sum();
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    private ReadAheadFile readAhead(Connection connection, FileChannel file, long offset, long length) {
        if (connection.channel().pipeline().get(ChunkedWriteHandler.class) == null) {
            connection.addHandlerLast(CHUNKED_WRITER, new ChunkedWriteHandler());
        }
        return new ReadAheadFile(file, offset, length, connection.channel(), reads);
    }

    private static void close(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            LOG.debug("closing a blob file after a download failed error={}", e.toString());
        }
    }

    Mono<Void> delete(HttpServerResponse response, RepositoryName name, String text) {
        Digest digest = Digest.parse(text);
        return metadata.unlinkBlob(name, digest)
                .flatMap(unlinked -> unlinked
                        ? Http.empty(response, HttpResponseStatus.ACCEPTED)
                        : Mono.error(unknown(name, digest)));
    }

    private static RuntimeException unknown(RepositoryName name, Digest digest) {
        return ErrorCode.BLOB_UNKNOWN.exception("blob " + digest + " is not in repository " + name);
    }
}
