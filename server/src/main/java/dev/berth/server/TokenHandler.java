package dev.berth.server;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.core.ErrorCode;
import dev.berth.server.auth.Authenticator;
import dev.berth.server.auth.Caller;
import dev.berth.server.auth.Scope;
import dev.berth.server.auth.TokenService;

/**
 * {@code /token}: the Docker token endpoint. {@code GET} takes Basic credentials (or none, for
 * what anonymous callers may do) and {@code scope} parameters; {@code POST} takes the OAuth2
 * form with {@code grant_type=password} or {@code grant_type=refresh_token}. The answer carries
 * {@code token} and {@code access_token} (the same JWT), {@code expires_in}, {@code issued_at},
 * and a {@code refresh_token} for {@code POST} logins and for {@code GET} with
 * {@code offline_token=true}.
 */
final class TokenHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private final Authenticator authenticator;

    TokenHandler(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        if (!authenticator.isEnabled()) {
            throw ErrorCode.UNSUPPORTED.exception(404, "authentication is off: no token is needed");
        }
        if (HttpMethod.GET.equals(request.method())) {
            return get(request, response, new QueryStringDecoder(request.uri()).parameters());
        }
        if (HttpMethod.POST.equals(request.method())) {
            return readForm(request).flatMap(form -> post(request, response, form));
        }
        throw ErrorCode.UNSUPPORTED.exception(request.method() + " is not allowed on /token (allowed: GET, POST)");
    }

    private Mono<Void> get(HttpServerRequest request, HttpServerResponse response,
            Map<String, List<String>> parameters) {
        String header = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        Mono<Caller> caller = header == null
                ? authenticator.resolve(Caller.ANONYMOUS_SUBJECT)
                : authenticator.login(request, response, header, null);
        boolean offline = "true".equalsIgnoreCase(first(parameters, "offline_token"));
        return caller.flatMap(who -> answer(request, response, who, scopes(parameters), offline));
    }

    private Mono<Void> post(HttpServerRequest request, HttpServerResponse response,
            Map<String, List<String>> form) {
        String grantType = first(form, "grant_type");
        if ("password".equals(grantType)) {
            String user = first(form, "username");
            String password = first(form, "password");
            if (user == null || password == null) {
                throw ErrorCode.UNAUTHORIZED.exception("grant_type=password needs username and password");
            }
            return authenticator.login(request, response, user, password, null)
                    .flatMap(who -> answer(request, response, who, scopes(form), true));
        }
        if ("refresh_token".equals(grantType)) {
            String refresh = first(form, "refresh_token");
            String subject = refresh == null ? null : authenticator.tokens().verifyRefresh(refresh).orElse(null);
            if (subject == null) {
                throw ErrorCode.UNAUTHORIZED.exception("refresh_token is missing, invalid or expired");
            }
            return authenticator.resolve(subject)
                    .switchIfEmpty(Mono.error(() -> ErrorCode.UNAUTHORIZED.exception(
                            "the refresh token's subject no longer exists")))
                    .flatMap(who -> answer(request, response, who, scopes(form), false));
        }
        throw ErrorCode.UNSUPPORTED.exception(400, "grant_type: " + grantType
                + " (expected: password or refresh_token)");
    }

    private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, Caller caller,
            List<Scope> scopes, boolean refresh) {
        TokenService tokens = authenticator.tokens();
        TokenService.IssuedToken issued = tokens.issueAccess(caller.subject(), authenticator.grant(caller, scopes));
        ObjectNode body = JSON.createObjectNode()
                .put("token", issued.token())
                .put("access_token", issued.token())
                .put("expires_in", issued.expiresIn().toSeconds())
                .put("issued_at", DateTimeFormatter.ISO_INSTANT.format(issued.issuedAt()));
        if (refresh) {
            body.put("refresh_token", tokens.issueRefresh(caller.subject()));
        }
        response.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return Http.json(request, response, body.toString());
    }

    private static List<Scope> scopes(Map<String, List<String>> parameters) {
        List<Scope> scopes = new ArrayList<>();
        for (String value : parameters.getOrDefault("scope", List.of())) {
            // Some clients join several scopes in one parameter with spaces.
            for (String part : value.trim().split("\\s+")) {
                Scope scope = part.isEmpty() ? null : Scope.parse(part);
                if (scope != null) {
                    scopes.add(scope);
                }
            }
        }
        return scopes;
    }

    private static Mono<Map<String, List<String>>> readForm(HttpServerRequest request) {
        return LimitedBody.read(request, MAX_FORM_BYTES, MAX_FORM_BYTES, TokenHandler::formTooLarge)
                .map(bytes -> new QueryStringDecoder("?" + new String(bytes, StandardCharsets.UTF_8)).parameters());
    }

    private static RuntimeException formTooLarge() {
        return ErrorCode.UNSUPPORTED.exception(413, "token request form larger than " + MAX_FORM_BYTES + " bytes");
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
