package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Challenge.assertChallenge;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.json;
import static dev.berth.it.TokenEndpoint.scope;
import static dev.berth.it.TokenForge.claims;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bearer tokens on {@code /v2/}: issued and well-forged ones open what they grant; expired,
 * re-signed, unsigned, tampered or misaddressed ones get {@code invalid_token}; valid ones that
 * lack the scope get {@code insufficient_scope}. The server has one htpasswd user and no rules,
 * so that user may do anything.
 */
final class BearerTokenIT {
    private static final String USER = "bearer";
    private static final String PASSWORD = "bearer pass:1";
    private static final String REPO = "bearer/app";
    private static final String PULL = scope(REPO, "pull");
    private static final Pattern FROM_MEMORY = Pattern.compile(
            "(?m)^berth_manifests_from_memory_total ([0-9.eE+-]+)$");

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--htpasswd",
            AuthConfig.htpasswd(dir.resolve("htpasswd"), Map.of(USER, PASSWORD)).toString()));

    private static TokenForge forge;

    private final TokenEndpoint tokens = new TokenEndpoint(BERTH.client());

    @BeforeAll
    static void pushImage() {
        BERTH.anonymousClient().withBasicAuth(USER, PASSWORD).pushImage(REPO, "v1");
        forge = TokenForge.of(BERTH.process().data());
    }

    @Test
    void getManifest_issuedToken_returns200() {
        String token = tokens.accessToken(USER, PASSWORD, PULL);

        assertStatus(getManifest(token), 200);
    }

    @Test
    void getManifest_forgedWithServerKey_returns200() {
        String token = forge.sign(claims(USER, REPO, "pull"));

        assertStatus(getManifest(token), 200);
    }

    @Test
    void getManifest_expiredToken_returns401InvalidToken() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        String token = forge.sign(claims(USER, REPO, "pull")
                .issueTime(Date.from(past))
                .notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofMinutes(5)))));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getManifest_notYetValidToken_returns401InvalidToken() {
        Instant future = Instant.now().plus(Duration.ofMinutes(10));
        String token = forge.sign(claims(USER, REPO, "pull")
                .notBeforeTime(Date.from(future))
                .expirationTime(Date.from(future.plus(Duration.ofMinutes(5)))));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getManifest_tokenWithoutExpiry_returns401InvalidToken() {
        String token = forge.sign(claims(USER, REPO, "pull").expirationTime(null));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getManifest_signedByOtherKey_returns401InvalidToken() {
        String token = TokenForge.signWithOtherKey(claims(USER, REPO, "pull"));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getManifest_algorithmNone_returns401InvalidToken() {
        String token = TokenForge.unsigned(claims(USER, REPO, "pull"));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getManifest_hmacWithServerPublicKey_returns401InvalidToken() {
        String token = forge.signHmacWithPublicKey(claims(USER, REPO, "pull"));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getManifest_tamperedPayload_returns401InvalidToken() {
        String genuine = tokens.accessToken(USER, PASSWORD, scope("other/app", "pull"));

        String token = TokenForge.withPayload(genuine, claims(USER, REPO, "pull"));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getManifest_otherAudience_returns401InvalidToken() {
        String token = forge.sign(claims(USER, REPO, "pull").audience("other-registry"));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getManifest_otherIssuer_returns401InvalidToken() {
        String token = forge.sign(claims(USER, REPO, "pull").issuer("someone-else"));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getManifest_refreshTokenAsBearer_returns401InvalidToken() {
        HttpResponse<byte[]> issued = tokens.getOffline(USER, PASSWORD, PULL);
        String refresh = json(issued).path("refresh_token").asText();

        assertInvalidToken(getManifest(refresh));
    }

    @Test
    void getManifest_garbageToken_returns401InvalidToken() {
        HttpResponse<byte[]> response = getManifest("not.a.jwt");

        assertInvalidToken(response);
    }

    @Test
    void getManifest_tokenForOtherRepository_returns401InsufficientScope() {
        String token = tokens.accessToken(USER, PASSWORD, scope("other/app", "pull"));

        assertChallenge(getManifest(token), BERTH.process(), PULL, "insufficient_scope");
    }

    /**
     * A manifest pulled before is answered from memory, on the network thread; the caller is
     * still checked there, and refused callers still get the full challenge.
     */
    @Test
    void getManifest_pulledBefore_fromMemoryOnlyForCallersWithTheScope() {
        String token = tokens.accessToken(USER, PASSWORD, PULL);
        assertStatus(getManifest(token), 200);
        double before = fromMemory();

        assertStatus(getManifest(token), 200);
        assertStatus(BERTH.client().withBearer(token).head(manifest(REPO, "v1")), 200);
        double afterPulls = fromMemory();
        assertChallenge(getManifest(tokens.accessToken(USER, PASSWORD, scope("other/app", "pull"))),
                BERTH.process(), PULL, "insufficient_scope");
        assertInvalidToken(getManifest("not.a.jwt"));
        assertChallenge(BERTH.anonymousClient().get(manifest(REPO, "v1")), BERTH.process(), PULL, null);

        assertThat(afterPulls - before).isEqualTo(2.0);
        assertThat(fromMemory()).isEqualTo(afterPulls);
    }

    @Test
    void putManifest_pullOnlyToken_returns401InsufficientScope() {
        String token = tokens.accessToken(USER, PASSWORD, PULL);

        HttpResponse<byte[]> response = BERTH.client().withBearer(token).putManifest(REPO, "v2",
                MediaTypes.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8));

        assertChallenge(response, BERTH.process(), scope(REPO, "pull,push"), "insufficient_scope");
    }

    @Test
    void deleteManifest_pullPushToken_returns401InsufficientScope() {
        String token = tokens.accessToken(USER, PASSWORD, scope(REPO, "pull,push"));

        HttpResponse<byte[]> response = BERTH.client().withBearer(token)
                .delete(manifest(REPO, "v1"));

        assertChallenge(response, BERTH.process(), scope(REPO, "delete"), "insufficient_scope");
    }

    @Test
    void getManifest_anonymousTokenWithoutRights_returns401InsufficientScope() {
        String token = TokenEndpoint.token(tokens.anonymous(PULL));

        assertChallenge(getManifest(token), BERTH.process(), PULL, "insufficient_scope");
    }

    @Test
    void getManifest_unknownSubjectLackingScope_returns401InvalidToken() {
        String token = forge.sign(claims("ghost", "other/app", "pull"));

        assertInvalidToken(getManifest(token));
    }

    @Test
    void getBase_tokenWithoutScope_returns200() {
        String token = tokens.accessToken(USER, PASSWORD);

        assertStatus(BERTH.client().withBearer(token).get("/v2/"), 200);
    }

    @Test
    void getCatalog_tokenWithoutCatalogScope_returns401InsufficientScope() {
        String token = tokens.accessToken(USER, PASSWORD, PULL);

        HttpResponse<byte[]> response = BERTH.client().withBearer(token).get("/v2/_catalog");

        assertChallenge(response, BERTH.process(), "registry:catalog:*", "insufficient_scope");
    }

    private static HttpResponse<byte[]> getManifest(String token) {
        return BERTH.client().withBearer(token).get(manifest(REPO, "v1"),
                "Accept", MediaTypes.OCI_MANIFEST);
    }

    /** {@code berth_manifests_from_memory_total} on {@code /metrics}. */
    private static double fromMemory() {
        Matcher matcher = FROM_MEMORY.matcher(Responses.text(BERTH.anonymousClient().get("/metrics")));
        assertThat(matcher.find()).as("berth_manifests_from_memory_total in /metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static void assertInvalidToken(HttpResponse<byte[]> response) {
        assertChallenge(response, BERTH.process(), PULL, "invalid_token");
    }
}
