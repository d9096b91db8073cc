package dev.berth.server;

import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.core.ErrorCode;
import dev.berth.core.RegistryException;
import dev.berth.core.RepositoryName;
import dev.berth.server.auth.Action;
import dev.berth.server.auth.Authenticator;
import dev.berth.server.auth.Caller;
import dev.berth.server.auth.Scope;
import dev.berth.storage.ManifestRecord;

/**
 * Sends each request to its handler, by the {@link Route} of its path; a repository name in the
 * path is validated before any handler runs. Every request is counted and timed by route,
 * method and status in {@link Observability}.
 */
final class Router {
    private static final Action[] PULL = {Action.PULL};
    private static final Action[] PULL_PUSH = {Action.PULL, Action.PUSH};
    private static final Action[] DELETE = {Action.DELETE};
    private static final String API_VERSION = "Docker-Distribution-API-Version";
    private static final String API_VERSION_VALUE = "registry/2.0";

    private final ManifestHandler manifests;
    private final BlobHandler blobs;
    private final UploadHandler uploads;
    private final TagHandler tags;
    private final CatalogHandler catalog;
    private final ReferrerHandler referrers;
    private final TokenHandler token;
    private final Authenticator authenticator;
    private final Observability observability;
    private final Maintenance maintenance;
    private final BooleanSupplier ready;

    Router(ManifestHandler manifests, BlobHandler blobs, UploadHandler uploads, TagHandler tags,
            CatalogHandler catalog, ReferrerHandler referrers, Authenticator authenticator,
            Observability observability, Maintenance maintenance, BooleanSupplier ready) {
        this.manifests = manifests;
        this.blobs = blobs;
        this.uploads = uploads;
        this.tags = tags;
        this.catalog = catalog;
        this.referrers = referrers;
        this.authenticator = authenticator;
        this.token = new TokenHandler(authenticator);
        this.observability = observability;
        this.maintenance = maintenance;
        this.ready = ready;
    }

    /**
     * Handles one request. Requests whose handlers never read a body (GET, HEAD, DELETE) first
     * consume whatever the request carries.
     *
     * <p>Why: a response completed before the request's last frame was read leaves Reactor
     * Netty's keep-alive handling with a stray frame when the client had already sent its next
     * request; the connection then stops reading and the client waits forever. Consuming the
     * request first makes every answer come after the whole request, which avoids that state.
     */
    Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        long started = System.nanoTime();
        response.header(API_VERSION, API_VERSION_VALUE);
        String path = decodedPath(request.uri());
        Route.Match match = path == null ? new Route.Match(Route.INVALID, null, null) : Route.match(path);
        Mono<Void> handling = Mono.defer(() -> Mono.from(dispatch(request, response, path, match)));
        if (!mayCarryBody(request.method())) {
            handling = ErrorWriter.drain(request).then(handling);
        }
        return handling.onErrorResume(error -> Mono.from(ErrorWriter.write(request, response, error)))
                .doFinally(signal -> observability.recordRequest(match.route(), request.method(),
                        response.status().code(), System.nanoTime() - started));
    }

    /**
     * The whole answer to a manifest {@code GET} or {@code HEAD} when everything it needs is in
     * memory: the caller is allowed without waiting ({@link Authenticator#authorizeNow}) and the
     * manifest, by digest or by tag, is in the cache. {@code null} for every other request, which
     * {@link #handle} then answers in full, with the same result. Runs on the event loop, so it
     * never waits; {@link #answeredNow} counts the request once it is answered.
     *
     * <p>Paths with escapes, a query or a fragment, which are rare on this route, take the full
     * path, so the raw URI here is the path {@link #handle} would route.
     */
    FullHttpResponse answerNow(HttpRequest request) {
        HttpMethod method = request.method();
        boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method)) {
            return null;
        }
        String uri = request.uri();
        if (!uri.startsWith("/v2/") || uri.indexOf('%') >= 0 || uri.indexOf('?') >= 0 || uri.indexOf('#') >= 0) {
            return null;
        }
        Route.Match match = Route.match(uri);
        if (match.route() != Route.MANIFEST) {
            return null;
        }
        ManifestRecord record;
        try {
            RepositoryName name = RepositoryName.of(match.name());
            Caller caller = authenticator.authorizeNow(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                    Scope.repository(name.value(), PULL));
            record = caller == null ? null : manifests.peek(name, match.argument());
        } catch (RegistryException e) {
            // An invalid name or reference: the full path words the error.
            return null;
        }
        if (record == null) {
            return null;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(record.content()));
        response.headers().set(API_VERSION, API_VERSION_VALUE);
        ManifestHandler.headers(response.headers(), record);
        return response;
    }

    /**
     * Counts a request {@link #answerNow} answered, {@code nanos} from its arrival until its
     * answer was handed to the connection, as every other request is counted.
     */
    void answeredNow(HttpRequest request, long nanos) {
        observability.recordManifestFromMemory();
        observability.recordRequest(Route.MANIFEST, request.method(), HttpResponseStatus.OK.code(), nanos);
    }

    /** The request path with its escapes decoded, or {@code null} when they are malformed. */
    private static String decodedPath(String uri) {
        try {
            return new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean mayCarryBody(HttpMethod method) {
        return HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method) || HttpMethod.PATCH.equals(method);
    }

    private Publisher<Void> dispatch(HttpServerRequest request, HttpServerResponse response, String path,
            Route.Match match) {
        HttpMethod method = request.method();
        switch (match.route()) {
            case TOKEN:
                return token.handle(request, response);
            case ADMIN_GC:
                requireMethod(method, path, HttpMethod.POST);
                return authenticator.authorizeAdmin(request, response)
                        .then(Mono.defer(() -> maintenance.handle(request, response)));
            case METRICS:
                requireMethod(method, path, HttpMethod.GET);
                return observability.scrape(response);
            case HEALTH:
                requireMethod(method, path, HttpMethod.GET, HttpMethod.HEAD);
                return Observability.probe(response, () -> true);
            case READY:
                requireMethod(method, path, HttpMethod.GET, HttpMethod.HEAD);
                return Observability.probe(response, ready);
            case BASE:
                requireMethod(method, path, HttpMethod.GET, HttpMethod.HEAD);
                return authenticator.authorize(request, response, null)
                        .then(Mono.defer(() -> Http.json(request, response, "{}")));
            case CATALOG:
                requireMethod(method, path, HttpMethod.GET);
                return authenticator.authorize(request, response, Scope.catalog())
                        .flatMap(authenticator::catalogFilter)
                        .flatMap(visible -> catalog.list(request, response, visible));
            case MANIFEST: {
                RepositoryName name = RepositoryName.of(match.name());
                return authorized(request, response, name, manifestActions(method),
                        caller -> manifest(request, response, name, match.argument()));
            }
            case UPLOADS: {
                requireMethod(method, path, HttpMethod.POST);
                RepositoryName name = RepositoryName.of(match.name());
                return authorized(request, response, name, PULL_PUSH, caller -> uploads.start(request, response,
                        name, from -> authenticator.mayPull(caller, from.value()), authenticator.isEnabled()));
            }
            case UPLOAD: {
                RepositoryName name = RepositoryName.of(match.name());
                return authorized(request, response, name, PULL_PUSH,
                        caller -> upload(request, response, name, match.argument()));
            }
            case BLOB: {
                RepositoryName name = RepositoryName.of(match.name());
                Action[] actions = HttpMethod.DELETE.equals(method) ? DELETE : PULL;
                return authorized(request, response, name, actions,
                        caller -> blob(request, response, name, match.argument()));
            }
            case TAGS: {
                requireMethod(method, path, HttpMethod.GET);
                RepositoryName name = RepositoryName.of(match.name());
                return authorized(request, response, name, PULL, caller -> tags.list(request, response, name));
            }
            case REFERRERS: {
                requireMethod(method, path, HttpMethod.GET);
                RepositoryName name = RepositoryName.of(match.name());
                return authorized(request, response, name, PULL,
                        caller -> referrers.list(request, response, name, match.argument()));
            }
            case INVALID:
                throw ErrorCode.UNSUPPORTED.exception(400, "request path: " + request.uri()
                        + " (expected: a path with valid percent-escapes)");
            default:
                throw ErrorCode.UNSUPPORTED.exception(404, "no such endpoint: " + path);
        }
    }

    private Mono<Void> authorized(HttpServerRequest request, HttpServerResponse response, RepositoryName name,
            Action[] actions, Function<Caller, Publisher<Void>> handler) {
        return authenticator.authorize(request, response, Scope.repository(name.value(), actions))
                .flatMap(caller -> Mono.from(handler.apply(caller)));
    }

    private static Action[] manifestActions(HttpMethod method) {
        if (HttpMethod.PUT.equals(method)) {
            return PULL_PUSH;
        }
        return HttpMethod.DELETE.equals(method) ? DELETE : PULL;
    }

    private Publisher<Void> manifest(HttpServerRequest request, HttpServerResponse response,
            RepositoryName name, String reference) {
        HttpMethod method = request.method();
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            return manifests.get(request, response, name, reference);
        }
        if (HttpMethod.PUT.equals(method)) {
            return manifests.put(request, response, name, reference);
        }
        if (HttpMethod.DELETE.equals(method)) {
            return manifests.delete(response, name, reference);
        }
        throw notAllowed(response, method, "GET, HEAD, PUT, DELETE");
    }

    private Publisher<Void> upload(HttpServerRequest request, HttpServerResponse response,
            RepositoryName name, String id) {
        HttpMethod method = request.method();
        if (HttpMethod.PATCH.equals(method)) {
            return uploads.patch(request, response, name, id);
        }
        if (HttpMethod.PUT.equals(method)) {
            return uploads.finish(request, response, name, id);
        }
        if (HttpMethod.GET.equals(method)) {
            return uploads.status(response, name, id);
        }
        if (HttpMethod.DELETE.equals(method)) {
            return uploads.cancel(response, name, id);
        }
        throw notAllowed(response, method, "GET, PATCH, PUT, DELETE");
    }

    private Publisher<Void> blob(HttpServerRequest request, HttpServerResponse response,
            RepositoryName name, String digest) {
        HttpMethod method = request.method();
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            return blobs.get(request, response, name, digest);
        }
        if (HttpMethod.DELETE.equals(method)) {
            return blobs.delete(response, name, digest);
        }
        throw notAllowed(response, method, "GET, HEAD, DELETE");
    }

    private static void requireMethod(HttpMethod method, String path, HttpMethod... allowed) {
        for (HttpMethod candidate : allowed) {
            if (candidate.equals(method)) {
                return;
            }
        }
        throw ErrorCode.UNSUPPORTED.exception(method + " is not allowed on " + path);
    }

    private static RegistryException notAllowed(HttpServerResponse response, HttpMethod method, String allowed) {
        response.header(HttpHeaderNames.ALLOW, allowed);
        return ErrorCode.UNSUPPORTED.exception(method + " is not allowed here (allowed: " + allowed + ")");
    }
}
