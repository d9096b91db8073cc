package dev.berth.server;

import java.nio.file.Path;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
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
 * {@code /v2/<name>/blobs/<digest>}: download (whole or one byte range) and unlink. Downloads are
 * sent straight from the blob's file, zero-copy where the transport allows.
 */
final class BlobHandler {
    private final MetadataStore metadata;
    private final BlobStore blobs;

    BlobHandler(MetadataStore metadata, BlobStore blobs) {
        this.metadata = metadata;
        this.blobs = blobs;
    }

    Mono<Void> get(HttpServerRequest request, HttpServerResponse response, RepositoryName name, String text) {
        Digest digest = Digest.parse(text);
        return metadata.findBlobSize(name, digest)
                .switchIfEmpty(Mono.error(() -> unknown(name, digest)))
                .flatMap(size -> blobs.find(digest)
                        .switchIfEmpty(Mono.error(() -> unknown(name, digest)))
                        .flatMap(path -> send(request, response, digest, path, size)));
    }

    private static Mono<Void> send(HttpServerRequest request, HttpServerResponse response, Digest digest,
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
        return response.sendFile(path, offset, length).then();
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
