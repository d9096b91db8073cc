package dev.berth.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.core.ContentRange;
import dev.berth.core.Digest;
import dev.berth.core.ErrorCode;
import dev.berth.core.RegistryException;
import dev.berth.core.RepositoryName;
import dev.berth.storage.BlobStore;
import dev.berth.storage.MetadataStore;
import dev.berth.storage.UploadSession;

/**
 * {@code /v2/<name>/blobs/uploads/}: blob pushes, monolithic or in chunks, and cross-repository
 * mounts. Bodies stream to the upload's file as they arrive; a blob becomes visible in the
 * repository only once its bytes matched the digest the client named.
 */
final class UploadHandler {
    /** The longest an upload's idle clock is left behind while its chunks arrive. */
    private static final Duration MAX_TOUCH_INTERVAL = Duration.ofMinutes(1);

    /** Upload sessions remembered between the chunks of a push. */
    private static final int SESSIONS = 10_000;

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration touchInterval;
    /**
     * Sessions this server started, or that a {@code PATCH} looked up, within the last
     * {@code touchInterval}, so the chunks of a push do not each wait for a database read: on two
     * CPUs busy hashing and writing, that read took 1 to 2 ms per PATCH. Only PATCH trusts an
     * entry; the other requests on an upload, each once per upload, read the database, so a
     * finished, cancelled or expired upload answers {@code BLOB_UPLOAD_UNKNOWN} to them as
     * before. A PATCH whose entry outlived a finished or cancelled upload gets the same, since
     * those delete the file first. Expiry does not pick an upload with an entry: the entry's
     * PATCH reset the idle clock unless it was reset less than {@code touchInterval} before, and
     * an upload expires only after ten times that without a reset.
     */
    private final Cache<String, UploadSession> sessions;

    /** @param touchInterval how stale an upload's idle clock may get; see {@link #touchInterval(Duration)} */
    UploadHandler(MetadataStore metadata, BlobStore blobs, Clock clock, Duration touchInterval) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.clock = clock;
        this.touchInterval = touchInterval;
        this.sessions = Caffeine.newBuilder().maximumSize(SESSIONS).expireAfterWrite(touchInterval).build();
    }

    /**
     * How stale an upload's idle clock may get while chunks arrive, for uploads that expire after
     * {@code uploadIdle}: a minute, or a tenth of {@code uploadIdle} when that is shorter, so an
     * active upload never comes near expiry.
     */
    static Duration touchInterval(Duration uploadIdle) {
        Duration tenth = uploadIdle.dividedBy(10);
        return tenth.compareTo(MAX_TOUCH_INTERVAL) < 0 ? tenth : MAX_TOUCH_INTERVAL;
    }

    /**
     * {@code POST}: a mount, a monolithic push ({@code ?digest=}) or a new upload session.
     *
     * @param readable whether the caller may pull from a repository, for the mount's source
     * @param restricted whether access control is on; then a mount without {@code from} is not
     *        attempted, since it would tell the caller that a blob exists somewhere it may not see
     */
    Mono<Void> start(HttpServerRequest request, HttpServerResponse response, RepositoryName name,
            Predicate<RepositoryName> readable, boolean restricted) {
        String mount = Http.query(request, "mount");
        String digest = Http.query(request, "digest");
        if (mount != null) {
            Digest blob = Digest.parse(mount);
            String fromText = Http.query(request, "from");
            RepositoryName from = fromText == null ? null : RepositoryName.of(fromText);
            boolean allowed = from == null ? !restricted : readable.test(from);
            if (!allowed) {
                return open(response, name);
            }
            return mount(name, blob, from)
                    .flatMap(mounted -> mounted ? created(response, name, blob) : open(response, name));
        }
        if (digest != null) {
            return monolithic(request, response, name, Digest.parse(digest));
        }
        return open(response, name);
    }

    /**
     * Links a blob that is already stored. With {@code from}, the blob must be in that repository;
     * without it, anywhere in the registry will do. Emits false when there is nothing to mount,
     * so the caller falls back to an upload session; also when garbage collection claimed the
     * blob between the lookup and the link, which {@code linkBlob} refuses with
     * {@code BLOB_UPLOAD_INVALID}.
     */
    private Mono<Boolean> mount(RepositoryName name, Digest digest, RepositoryName from) {
        Mono<Long> size = from != null ? metadata.findBlobSize(from, digest) : metadata.findBlobSizeAnywhere(digest);
        return size.filterWhen(ignored -> blobs.find(digest).hasElement())
                .flatMap(found -> metadata.linkBlob(name, digest, found)
                        .thenReturn(true)
                        .onErrorResume(UploadHandler::beingCollected, error -> Mono.just(false)))
                .defaultIfEmpty(false);
    }

    private static boolean beingCollected(Throwable error) {
        return error instanceof RegistryException failure && failure.code() == ErrorCode.BLOB_UPLOAD_INVALID;
    }

    private Mono<Void> open(HttpServerResponse response, RepositoryName name) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        UploadSession session = new UploadSession(id, name, now, now);
        return blobs.createUpload(id)
                .then(metadata.createUpload(session))
                .doOnSuccess(created -> sessions.put(id, session))
                .then(Mono.defer(() -> progress(response, HttpResponseStatus.ACCEPTED, name, id, 0)));
    }

    private Mono<Void> monolithic(HttpServerRequest request, HttpServerResponse response, RepositoryName name,
            Digest digest) {
        String id = UUID.randomUUID().toString();
        return blobs.createUpload(id)
                .then(blobs.append(id, 0, announcedLength(request), body(request)))
                .then(blobs.commit(id, digest))
                .flatMap(size -> metadata.linkBlob(name, digest, size))
                .onErrorResume(error -> blobs.deleteUpload(id).then(Mono.error(error)))
                .then(Mono.defer(() -> created(response, name, digest)));
    }

    /**
     * {@code PATCH}: one more chunk, at the end of what the upload holds. The session's idle clock
     * is reset at most once a {@code touchInterval}: a client pushing a layer in many chunks
     * would otherwise queue one database write per chunk behind the single writer.
     */
    Mono<Void> patch(HttpServerRequest request, HttpServerResponse response, RepositoryName name, String id) {
        return activeSession(name, id)
                .flatMap(session -> appendBody(request, id).flatMap(size -> touch(session).thenReturn(size)))
                .flatMap(size -> progress(response, HttpResponseStatus.ACCEPTED, name, id, size));
    }

    /** Resets the idle clock of {@code session} unless it was reset less than {@code touchInterval} ago. */
    Mono<Void> touch(UploadSession session) {
        Instant now = clock.instant();
        if (Duration.between(session.touchedAt(), now).compareTo(touchInterval) < 0) {
            return Mono.empty();
        }
        return metadata.touchUpload(session.id(), now)
                .doOnSuccess(touched -> sessions.put(session.id(),
                        new UploadSession(session.id(), session.repository(), session.startedAt(), now)));
    }

    /** {@code PUT ?digest=}: the last chunk, if any, then the digest check and the blob's link. */
    Mono<Void> finish(HttpServerRequest request, HttpServerResponse response, RepositoryName name, String id) {
        String text = Http.query(request, "digest");
        if (text == null) {
            throw ErrorCode.DIGEST_INVALID.exception("the digest query parameter is required to finish an upload");
        }
        Digest digest = Digest.parse(text);
        return requireSession(name, id)
                .then(Mono.defer(() -> appendBody(request, id)))
                .then(Mono.defer(() -> blobs.commit(id, digest)))
                .onErrorResume(RegistryException.class, error -> discardOnDigestMismatch(id, error))
                .flatMap(size -> metadata.linkUploadedBlob(name, digest, size, id))
                .doOnSuccess(linked -> sessions.invalidate(id))
                .then(Mono.defer(() -> created(response, name, digest)));
    }

    private Mono<Long> discardOnDigestMismatch(String id, RegistryException error) {
        if (error.code() != ErrorCode.DIGEST_INVALID) {
            return Mono.error(error);
        }
        return blobs.deleteUpload(id).then(forget(id)).then(Mono.error(error));
    }

    /** {@code GET}: how many bytes the upload holds. */
    Mono<Void> status(HttpServerResponse response, RepositoryName name, String id) {
        return requireSession(name, id)
                .then(blobs.uploadSize(id))
                .switchIfEmpty(Mono.error(() -> unknownUpload(id)))
                .flatMap(size -> progress(response, HttpResponseStatus.NO_CONTENT, name, id, size));
    }

    /** {@code DELETE}: cancels the upload and drops its bytes. */
    Mono<Void> cancel(HttpServerResponse response, RepositoryName name, String id) {
        return requireSession(name, id)
                .then(blobs.deleteUpload(id))
                .then(forget(id))
                .then(Mono.defer(() -> Http.empty(response, HttpResponseStatus.NO_CONTENT)));
    }

    /** Deletes the upload's session, here and in the database. */
    private Mono<Void> forget(String id) {
        sessions.invalidate(id);
        return metadata.deleteUpload(id).then();
    }

    /**
     * Appends the request body at the end of the upload. A {@code Content-Range} must start where
     * the upload ends (the blob store checks that as it opens the file), and agree with
     * {@code Content-Length} when both are sent.
     */
    private Mono<Long> appendBody(HttpServerRequest request, String id) {
        return blobs.append(id, expectedOffset(request), announcedLength(request), body(request));
    }

    /** The body's {@code Content-Length}, or {@link BlobStore#UNKNOWN_LENGTH}; only a hint for the store. */
    private static long announcedLength(HttpServerRequest request) {
        String text = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (text == null) {
            return BlobStore.UNKNOWN_LENGTH;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return BlobStore.UNKNOWN_LENGTH;
        }
    }

    /** Where the body says it starts, or {@link BlobStore#AT_END} when it says nothing. */
    private static long expectedOffset(HttpServerRequest request) {
        String header = request.requestHeaders().get(HttpHeaderNames.CONTENT_RANGE);
        if (header == null) {
            return BlobStore.AT_END;
        }
        ContentRange range = ContentRange.parse(header);
        String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && !length.trim().equals(String.valueOf(range.length()))) {
            throw ErrorCode.BLOB_UPLOAD_INVALID.exception(416, "Content-Length: " + length
                    + " (expected: " + range.length() + ", the length of Content-Range " + header + ")");
        }
        return range.start();
    }

    /** The body's buffers, retained: they cross to the file scheduler, which releases them. */
    private static Flux<ByteBuf> body(HttpServerRequest request) {
        return request.receive().retain();
    }

    /** The upload's session from the database; {@code BLOB_UPLOAD_UNKNOWN} when there is none in {@code name}. */
    private Mono<UploadSession> requireSession(RepositoryName name, String id) {
        return inRepository(metadata.findUpload(id), name, id);
    }

    /** {@link #requireSession} for a PATCH: remembered sessions first, see {@link #sessions}. */
    private Mono<UploadSession> activeSession(RepositoryName name, String id) {
        UploadSession known = sessions.getIfPresent(id);
        return inRepository(known != null ? Mono.just(known)
                : metadata.findUpload(id).doOnNext(found -> sessions.put(id, found)), name, id);
    }

    private static Mono<UploadSession> inRepository(Mono<UploadSession> session, RepositoryName name, String id) {
        return session
                .filter(found -> found.repository().equals(name))
                .switchIfEmpty(Mono.error(() -> unknownUpload(id)));
    }

    private static Mono<Void> progress(HttpServerResponse response, HttpResponseStatus status,
            RepositoryName name, String id, long size) {
        response.header(HttpHeaderNames.LOCATION, "/v2/" + name + "/blobs/uploads/" + id)
                .header(HttpHeaderNames.RANGE, "0-" + Math.max(0, size - 1))
                .header(Http.DOCKER_UPLOAD_UUID, id);
        return Http.empty(response, status);
    }

    private static Mono<Void> created(HttpServerResponse response, RepositoryName name, Digest digest) {
        response.header(HttpHeaderNames.LOCATION, "/v2/" + name + "/blobs/" + digest)
                .header(Http.DOCKER_CONTENT_DIGEST, digest.toString());
        return Http.empty(response, HttpResponseStatus.CREATED);
    }

    private static RegistryException unknownUpload(String id) {
        return ErrorCode.BLOB_UPLOAD_UNKNOWN.exception("upload " + id);
    }
}
