package dev.berth.it;

import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.json;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * {@code /token}, the Docker token endpoint, as clients call it: {@code GET} with Basic
 * credentials (or none) and {@code scope} parameters, and {@code POST} with the OAuth2 password
 * and refresh-token grants.
 */
final class TokenEndpoint {
    /** The service Berth names in its challenges and tokens unless configured otherwise. */
    static final String SERVICE = "berth";

    private final RegistryClient registry;

    /** The endpoint of the server {@code registry} talks to; its default headers are not sent. */
    TokenEndpoint(RegistryClient registry) {
        this.registry = registry.withDefaultHeaders();
    }

    /** {@code repository:<repo>:<actions>}, the scope of a repository operation. */
    static String scope(String repo, String actions) {
        return "repository:" + repo + ":" + actions;
    }

    /** {@code GET /token?service=berth&scope=..} without credentials. */
    HttpResponse<byte[]> anonymous(String... scopes) {
        return registry.get(query(List.of(), scopes));
    }

    /** {@code GET /token?service=berth&scope=..} with Basic credentials. */
    HttpResponse<byte[]> get(String user, String password, String... scopes) {
        return registry.get(query(List.of(), scopes),
                "Authorization", RegistryClient.basic(user, password));
    }

    /** {@code GET /token?service=berth&offline_token=true&scope=..} with Basic credentials. */
    HttpResponse<byte[]> getOffline(String user, String password, String... scopes) {
        return registry.get(query(List.of("offline_token=true"), scopes),
                "Authorization", RegistryClient.basic(user, password));
    }

    /** {@code POST /token} with {@code grant_type=password}. */
    HttpResponse<byte[]> passwordGrant(String user, String password, String... scopes) {
        return post(Map.of("grant_type", "password", "username", user, "password", password,
                "service", SERVICE), scopes);
    }

    /** {@code POST /token} with {@code grant_type=refresh_token}. */
    HttpResponse<byte[]> refreshGrant(String refreshToken, String... scopes) {
        return post(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "service", SERVICE), scopes);
    }

    /** {@code POST /token} with {@code form} and {@code scopes}, form-encoded. */
    HttpResponse<byte[]> post(Map<String, String> form, String... scopes) {
        List<String> fields = new ArrayList<>();
        form.forEach((name, value) -> fields.add(encode(name) + "=" + encode(value)));
        for (String scope : scopes) {
            fields.add("scope=" + encode(scope));
        }
        byte[] body = String.join("&", fields).getBytes(StandardCharsets.UTF_8);
        return registry.post("/token", body,
                "Content-Type", "application/x-www-form-urlencoded");
    }

    /** A token for {@code user} from {@code GET /token}, checked to have been issued. */
    String accessToken(String user, String password, String... scopes) {
        return token(get(user, password, scopes));
    }

    /** The {@code token} of a successful token response. */
    static String token(HttpResponse<byte[]> response) {
        assertStatus(response, 200);
        return json(response).path("token").asText();
    }

    /** The claims of a token, read without checking its signature. */
    static JWTClaimsSet claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("not a signed JWT: " + token, e);
        }
    }

    /**
     * The {@code access} claim of a token as {@code type:name:actions} strings, such as
     * {@code repository:team-a/app:pull,push}, in the order of the claim.
     */
    static List<String> access(String token) {
        List<String> access = new ArrayList<>();
        Object claim = claims(token).getClaim("access");
        if (claim instanceof List<?> entries) {
            for (Object entry : entries) {
                Map<?, ?> grant = (Map<?, ?>) entry;
                List<?> actions = (List<?>) grant.get("actions");
                access.add(grant.get("type") + ":" + grant.get("name") + ":" + actions.stream()
                        .map(String::valueOf)
                        .collect(Collectors.joining(",")));
            }
        }
        return access;
    }

    private static String query(List<String> extra, String... scopes) {
        StringBuilder query = new StringBuilder("/token?service=").append(SERVICE);
        extra.forEach(parameter -> query.append('&').append(parameter));
        for (String scope : scopes) {
            query.append("&scope=").append(encode(scope));
        }
        return query.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
