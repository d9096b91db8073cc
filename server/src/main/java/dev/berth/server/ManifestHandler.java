package dev.berth.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.core.Digest;
import dev.berth.core.ErrorCode;
import dev.berth.core.Manifest;
import dev.berth.core.ManifestParser;
import dev.berth.core.Reference;
import dev.berth.core.RepositoryName;
import dev.berth.storage.ManifestRecord;
import dev.berth.storage.MetadataStore;

/**
 * {@code /v2/<name>/manifests/<reference>}: pull, push and delete manifests by tag or digest.
 * Manifest bytes are stored and served exactly as pushed; the digest is always computed over them.
 */
final class ManifestHandler {
    /** The largest manifest accepted, as in Distribution; larger pushes are cut off while read. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** Past this, an oversized manifest body is not even read to its end. */
    static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;

    private final MetadataStore metadata;

    ManifestHandler(MetadataStore metadata) {
        this.metadata = metadata;
    }

    Mono<Void> get(HttpServerRequest request, HttpServerResponse response, RepositoryName name, String text) {
        Reference reference = Reference.parse(text);
        return resolve(name, reference)
                .flatMap(digest -> metadata.findManifest(name, digest))
                .switchIfEmpty(Mono.error(() -> unknown(name, reference)))
                .flatMap(record -> send(request, response, record));
    }

    private Mono<Digest> resolve(RepositoryName name, Reference reference) {
        return reference.isDigest() ? Mono.just(reference.digest()) : metadata.findTag(name, reference.tag());
    }

    /**
     * The manifest {@code text} names in {@code name} when it is in memory now, or {@code null}
     * (see {@link MetadataStore#peekManifest}); {@link #get} gives the full answer.
     */
    ManifestRecord peek(RepositoryName name, String text) {
        Reference reference = Reference.parse(text);
        Digest digest = reference.isDigest() ? reference.digest() : metadata.peekTag(name, reference.tag());
        return digest == null ? null : metadata.peekManifest(name, digest);
    }

    /** The headers of a manifest's answer, the same for {@code GET} and {@code HEAD}. */
    static void headers(HttpHeaders headers, ManifestRecord record) {
        String digest = record.digest().toString();
        headers.set(HttpHeaderNames.CONTENT_TYPE, record.mediaType())
                .set(HttpHeaderNames.CONTENT_LENGTH, record.size())
                .set(HttpHeaderNames.ETAG, "\"" + digest + "\"")
                .set(Http.DOCKER_CONTENT_DIGEST, digest);
    }

    private static Mono<Void> send(HttpServerRequest request, HttpServerResponse response, ManifestRecord record) {
        headers(response.responseHeaders(), record);
        if (HttpMethod.HEAD.equals(request.method())) {
            return response.send().then();
        }
        return response.sendByteArray(Mono.just(record.content())).then();
    }

    Mono<Void> put(HttpServerRequest request, HttpServerResponse response, RepositoryName name, String text) {
        Reference reference = Reference.parse(text);
        checkDeclaredLength(request);
        String contentType = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
        return LimitedBody.read(request, MAX_MANIFEST_BYTES, MAX_DRAINED_BYTES, ManifestHandler::tooLarge)
                .flatMap(bytes -> store(name, reference, bytes, contentType))
                .flatMap(stored -> created(response, name, stored));
    }

    private Mono<Stored> store(RepositoryName name, Reference reference, byte[] bytes, String contentType) {
        Manifest manifest = ManifestParser.parse(bytes, contentType);
        Digest digest = reference.isDigest() ? reference.digest().recompute(bytes) : Digest.sha256(bytes);
        if (reference.isDigest() && !digest.equals(reference.digest())) {
            throw ErrorCode.DIGEST_INVALID.exception("manifest pushed as " + reference.digest()
                    + " (actual: " + digest + ")");
        }
        ManifestRecord record = new ManifestRecord(digest, manifest.mediaType(), bytes);
        return metadata.putManifest(name, record, manifest, reference.tag())
                .thenReturn(new Stored(digest, manifest));
    }

    /** Refuses at once a body declared larger than Berth would even read to the end. */
    private static void checkDeclaredLength(HttpServerRequest request) {
        String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            return;
        }
        try {
            if (Long.parseLong(length.trim()) > MAX_DRAINED_BYTES) {
                throw tooLarge();
            }
        } catch (NumberFormatException e) {
            throw ErrorCode.MANIFEST_INVALID.exception("Content-Length: " + length + " (expected: a number)");
        }
    }

    private static Mono<Void> created(HttpServerResponse response, RepositoryName name, Stored stored) {
        response.header(HttpHeaderNames.LOCATION, "/v2/" + name + "/manifests/" + stored.digest())
                .header(Http.DOCKER_CONTENT_DIGEST, stored.digest().toString());
        if (stored.manifest().subject() != null) {
            response.header(Http.OCI_SUBJECT, stored.manifest().subject().digest().toString());
        }
        return Http.empty(response, HttpResponseStatus.CREATED);
    }

    /** {@code DELETE}: by digest removes the manifest and its tags; by tag removes the tag only. */
    Mono<Void> delete(HttpServerResponse response, RepositoryName name, String text) {
        Reference reference = Reference.parse(text);
        Mono<Boolean> deleted = reference.isDigest()
                ? metadata.deleteManifest(name, reference.digest())
                : metadata.deleteTag(name, reference.tag());
        return deleted.flatMap(found -> found
                ? Http.empty(response, HttpResponseStatus.ACCEPTED)
                : Mono.error(unknown(name, reference)));
    }

    private static RuntimeException tooLarge() {
        return ErrorCode.MANIFEST_INVALID.exception(413, "manifest larger than " + MAX_MANIFEST_BYTES + " bytes");
    }

    private static RuntimeException unknown(RepositoryName name, Reference reference) {
        return ErrorCode.MANIFEST_UNKNOWN.exception("manifest " + reference + " is not in repository " + name);
    }

    private record Stored(Digest digest, Manifest manifest) {
    }
}
