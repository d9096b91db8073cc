package dev.berth.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.core.ErrorCode;
import dev.berth.core.RegistryException;

/**
 * The one place that writes error responses: the spec's body
 * {@code {"errors":[{"code","message","detail"}]}} with the status of the {@link ErrorCode}.
 * Client mistakes are logged at DEBUG; anything that is not a {@link RegistryException} is a
 * fault of Berth's, answered {@code 500 UNKNOWN} and logged once at ERROR.
 */
final class ErrorWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorWriter() {
    }

    static Publisher<Void> write(HttpServerRequest request, HttpServerResponse response, Throwable error) {
        if (response.hasSentHeaders() || isClientGone(error)) {
            // Too late for an error body, or nobody left to read one: the connection ends and a
            // client that is still there sees a short response. Clients hang up mid-download all
            // the time, so this is no fault of Berth's.
            LOG.debug("response cut short uri={} error={}", request.uri(), error.toString());
            return Mono.error(error);
        }
        RegistryException failure = classify(request, error);
        if (failure.status() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            // Either the handler read the oversized body to its end already, or it is too large
            // to be worth reading: answer and close either way.
            response.header(HttpHeaderNames.CONNECTION, "close");
            return send(request, response, failure);
        }
        return Mono.from(request.receive().then())
                .onErrorResume(alreadyReading -> {
                    // The handler was reading the body when it failed; what is left of it
                    // cannot be skipped reliably, so the connection ends with this answer.
                    response.header(HttpHeaderNames.CONNECTION, "close");
                    return Mono.empty();
                })
                .then(Mono.defer(() -> Mono.from(send(request, response, failure))));
    }

    /** Consumes and drops a request body nobody will read; completes when the request is in. */
    static Mono<Void> drain(HttpServerRequest request) {
        return request.receive().then().onErrorResume(error -> Mono.empty());
    }

    private static Publisher<Void> send(HttpServerRequest request, HttpServerResponse response,
            RegistryException failure) {
        byte[] body = body(failure);
        response.status(HttpResponseStatus.valueOf(failure.status()))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
        if (HttpMethod.HEAD.equals(request.method())) {
            return response.send();
        }
        return response.sendByteArray(Mono.just(body)).then();
    }

    /** Whether the error says the client closed or reset the connection. */
    static boolean isClientGone(Throwable error) {
        if (error instanceof AbortedException) {
            return true;
        }
        String message = String.valueOf(error.getMessage());
        return error instanceof IOException
                && (message.contains("Connection reset") || message.contains("Broken pipe"));
    }

    private static RegistryException classify(HttpServerRequest request, Throwable error) {
        if (error instanceof RegistryException registry) {
            LOG.debug("request refused method={} uri={} status={} code={} detail={}", request.method(),
                    request.uri(), registry.status(), registry.code(), registry.detail());
            return registry;
        }
        LOG.error("request failed method={} uri={} status=500", request.method(), request.uri(), error);
        return ErrorCode.UNKNOWN.exception("internal error; the registry log has the details");
    }

    static byte[] body(RegistryException failure) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode errors = root.putArray("errors");
        ObjectNode entry = errors.addObject();
        entry.put("code", failure.code().name());
        entry.put("message", failure.code().message());
        entry.put("detail", failure.detail());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
