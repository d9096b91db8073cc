package dev.berth.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** Response helpers shared by the handlers. */
final class Http {
    static final String DOCKER_CONTENT_DIGEST = "Docker-Content-Digest";
    static final String DOCKER_UPLOAD_UUID = "Docker-Upload-UUID";
    static final String OCI_SUBJECT = "OCI-Subject";

    private Http() {
    }

    /** An answer with no body, {@code Content-Length: 0} said out loud so no client waits for one. */
    static Mono<Void> empty(HttpServerResponse response, HttpResponseStatus status) {
        response.status(status);
        if (status.code() != HttpResponseStatus.NO_CONTENT.code()) {
            response.header(HttpHeaderNames.CONTENT_LENGTH, "0");
        }
        return response.send().then();
    }

    /** A JSON answer, or its headers alone for {@code HEAD}. */
    static Mono<Void> json(HttpServerRequest request, HttpServerResponse response, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(bytes.length));
        if (HttpMethod.HEAD.equals(request.method())) {
            return response.send().then();
        }
        return response.sendByteArray(Mono.just(bytes)).then();
    }

    /** The first value of a query parameter, or {@code null}. */
    static String query(HttpServerRequest request, String name) {
        Map<String, List<String>> parameters = new QueryStringDecoder(request.uri()).parameters();
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
