package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertJsonError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.json;
import static dev.berth.it.TokenEndpoint.access;
import static dev.berth.it.TokenEndpoint.claims;
import static dev.berth.it.TokenEndpoint.scope;
import static dev.berth.it.TokenEndpoint.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /token}: what a token answer holds, what the token grants, the password and refresh
 * grants, and refusals. The server has two htpasswd users and no rules, so both may do anything.
 */
final class TokenEndpointIT {
    private static final String USER = "alice";
    private static final String PASSWORD = "alice:s3cret pw";
    private static final String OTHER = "bob";
    private static final String OTHER_PASSWORD = "bob-password";
    /** A user whose name is the word rules use for callers without credentials. */
    private static final String NAMED_ANONYMOUS = "anonymous";
    private static final long DEFAULT_TTL_SECONDS = 300;

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--htpasswd",
            AuthConfig.htpasswd(dir.resolve("htpasswd"), Map.of(USER, PASSWORD,
                    OTHER, OTHER_PASSWORD, NAMED_ANONYMOUS, OTHER_PASSWORD)).toString()));

    private final TokenEndpoint tokens = new TokenEndpoint(BERTH.client());

    @Test
    void getToken_basicCredentials_answersTokenJson() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        HttpResponse<byte[]> response = tokens.get(USER, PASSWORD, scope("team/app", "pull"));

        assertStatus(response, 200);
        JsonNode body = json(response);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        assertThat(header(response, "Cache-Control")).isEqualTo("no-store");
        assertThat(body.path("token").asText()).isNotEmpty()
                .isEqualTo(body.path("access_token").asText());
        assertThat(body.path("expires_in").asLong()).isEqualTo(DEFAULT_TTL_SECONDS);
        assertThat(Instant.parse(body.path("issued_at").asText()))
                .isBetween(before, Instant.now().plusSeconds(1));
        assertThat(body.has("refresh_token")).isFalse();
    }

    @Test
    void getToken_basicCredentials_tokenCarriesDockerClaims() {
        HttpResponse<byte[]> response = tokens.get(USER, PASSWORD, scope("team/app", "pull,push"));

        String token = token(response);
        JWTClaimsSet claims = claims(token);
        assertThat(TokenForge.of(BERTH.process().data()).signedByServer(token)).isTrue();
        assertThat(claims.getIssuer()).isEqualTo("berth");
        assertThat(claims.getAudience()).containsExactly(TokenEndpoint.SERVICE);
        assertThat(claims.getSubject()).isEqualTo(USER);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
        assertThat(Duration.between(claims.getIssueTime().toInstant(),
                claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofSeconds(json(response).path("expires_in").asLong()));
        assertThat(claims.getIssueTime().toInstant())
                .isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(access(token)).containsExactly("repository:team/app:pull,push");
    }

    @Test
    void getToken_offlineToken_addsRefreshToken() {
        HttpResponse<byte[]> response = tokens.getOffline(USER, PASSWORD,
                scope("team/app", "pull"));

        assertStatus(response, 200);
        String refresh = json(response).path("refresh_token").asText();
        assertThat(refresh).isNotEmpty().isNotEqualTo(token(response));
        assertThat(claims(refresh).getSubject()).isEqualTo(USER);
    }

    @Test
    void getToken_severalScopes_grantsEachInOrder() {
        HttpResponse<byte[]> response = tokens.get(USER, PASSWORD, scope("a/one", "pull"),
                scope("b/two", "push") + " " + scope("c/three", "pull,delete"),
                "registry:catalog:*");

        assertThat(access(token(response))).containsExactly("repository:a/one:pull",
                "repository:b/two:push", "repository:c/three:pull,delete", "registry:catalog:*");
    }

    @Test
    void getToken_wildcardAndUnknownActions_grantsOnlyKnownAllowedOnes() {
        HttpResponse<byte[]> wildcard = tokens.get(USER, PASSWORD, scope("team/app", "*"));
        HttpResponse<byte[]> unknown = tokens.get(USER, PASSWORD,
                scope("team/app", "pull,frobnicate"));

        assertThat(access(token(wildcard))).containsExactly("repository:team/app:pull,push,delete");
        assertThat(access(token(unknown))).containsExactly("repository:team/app:pull");
    }

    @Test
    void getToken_anonymousWithoutRules_grantsNoAction() {
        HttpResponse<byte[]> response = tokens.anonymous(scope("team/app", "pull,push"));

        String token = token(response);
        assertThat(claims(token).getSubject()).isNotBlank()
                .isNotIn(USER, OTHER, NAMED_ANONYMOUS);
        assertThat(access(token)).containsExactly("repository:team/app:");
    }

    @Test
    void getCatalog_tokenOfUserNamedAnonymous_listsWhatTheUserMayPull() {
        String repo = Repos.unique("named-anonymous");
        BERTH.client().withBasicAuth(NAMED_ANONYMOUS, OTHER_PASSWORD).pushImage(repo, "v1");
        String token = tokens.accessToken(NAMED_ANONYMOUS, OTHER_PASSWORD, "registry:catalog:*");

        HttpResponse<byte[]> response = BERTH.client().withBearer(token).get("/v2/_catalog");

        // The catalog is filtered by the token's subject: the user, not callers without login.
        assertStatus(response, 200);
        assertThat(Responses.stringArray(response, "repositories")).contains(repo);
    }

    @Test
    void getToken_wrongPasswordOrUnknownUser_sameAnswerNamingNeither() {
        HttpResponse<byte[]> wrongPassword = tokens.get(USER, PASSWORD + "!", scope("x/y", "pull"));
        HttpResponse<byte[]> unknownUser = tokens.get("mallory", PASSWORD, scope("x/y", "pull"));

        assertError(wrongPassword, 401, "UNAUTHORIZED");
        assertError(unknownUser, 401, "UNAUTHORIZED");
        assertThat(unknownUser.body()).isEqualTo(wrongPassword.body());
        assertThat(header(unknownUser, "WWW-Authenticate"))
                .isEqualTo(header(wrongPassword, "WWW-Authenticate"));
        assertThat(Responses.text(wrongPassword)).doesNotContain(USER, "password", "mallory");
    }

    @Test
    void postToken_passwordGrant_answersAccessAndRefreshToken() {
        HttpResponse<byte[]> response = tokens.passwordGrant(USER, PASSWORD,
                scope("team/app", "pull"));

        assertStatus(response, 200);
        JsonNode body = json(response);
        assertThat(access(body.path("access_token").asText()))
                .containsExactly("repository:team/app:pull");
        assertThat(claims(body.path("refresh_token").asText()).getSubject()).isEqualTo(USER);
    }

    @Test
    void postToken_passwordGrantWrongPassword_returns401() {
        HttpResponse<byte[]> response = tokens.passwordGrant(USER, "alice:s3cret",
                scope("x/y", "pull"));

        assertError(response, 401, "UNAUTHORIZED");
        assertThat(json(response).has("token")).isFalse();
    }

    @Test
    void postToken_refreshGrant_answersNewWorkingAccessToken() {
        String repo = Repos.unique("refresh");
        Descriptor pushed = BERTH.client().withBasicAuth(OTHER, OTHER_PASSWORD)
                .pushImage(repo, "v1");
        String refresh = json(tokens.passwordGrant(OTHER, OTHER_PASSWORD)).path("refresh_token")
                .asText();

        HttpResponse<byte[]> response = tokens.refreshGrant(refresh, scope(repo, "pull"));

        String token = token(response);
        assertThat(claims(token).getSubject()).isEqualTo(OTHER);
        assertThat(access(token)).containsExactly("repository:" + repo + ":pull");
        HttpResponse<byte[]> pulled = BERTH.client().withBearer(token)
                .get(manifest(repo, "v1"), "Accept", MediaTypes.OCI_MANIFEST);
        assertStatus(pulled, 200);
        assertThat(header(pulled, "Docker-Content-Digest")).isEqualTo(pushed.digest());
    }

    @Test
    void postToken_accessTokenAsRefreshToken_returns401() {
        String access = tokens.accessToken(USER, PASSWORD, scope("team/app", "pull"));

        HttpResponse<byte[]> response = tokens.refreshGrant(access, scope("team/app", "pull"));

        assertError(response, 401, "UNAUTHORIZED");
    }

    @Test
    void postToken_unknownGrantType_returns400() {
        HttpResponse<byte[]> response = tokens.post(Map.of("grant_type", "client_credentials",
                "client_id", USER, "client_secret", PASSWORD));

        assertJsonError(response, 400);
    }

    @Test
    void tokenRequests_serverLog_neverShowsPasswordsOrTokens() {
        String issued = tokens.accessToken(USER, PASSWORD, scope("team/app", "pull"));
        String refresh = json(tokens.passwordGrant(USER, PASSWORD)).path("refresh_token").asText();
        String refreshed = token(tokens.refreshGrant(refresh, scope("team/app", "pull")));
        BERTH.client().withBearer(refreshed).get(manifest("team/app", "latest"));
        tokens.get(USER, "wrong " + PASSWORD);

        List<String> log = ClientChecks.accessLogSoFar(BERTH);

        assertThat(log).anyMatch(line -> line.contains("/token"));
        assertThat(String.join("\n", log))
                .doesNotContain(PASSWORD, URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8),
                        RegistryClient.basic(USER, PASSWORD).substring("Basic ".length()),
                        issued, refresh, refreshed);
    }
}
