package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.uploads;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.json;
import static dev.berth.it.TokenEndpoint.access;
import static dev.berth.it.TokenEndpoint.claims;
import static dev.berth.it.TokenEndpoint.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.berth.it.BerthCli.Result;

/**
 * CI access tokens made with {@code berth token create} on the data directory of the running
 * server, used as the Basic password with any user name, listed and revoked with the same
 * command.
 */
final class CiTokenIT {
    private static final Pattern TOKEN = Pattern.compile("berth_([0-9a-f]+)_[A-Za-z0-9_-]+");
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin:pass wörd";
    /** A user whose own password happens to start like a CI token. */
    private static final String RELEASER = "releaser";
    private static final String RELEASER_PASSWORD = "berth_release_2024!";

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--htpasswd",
            AuthConfig.htpasswd(dir.resolve("htpasswd"), Map.of(ADMIN, ADMIN_PASSWORD,
                    RELEASER, RELEASER_PASSWORD)).toString()));

    private final TokenEndpoint tokens = new TokenEndpoint(BERTH.client());

    @Test
    void create_tokenAsBasicPasswordWithAnyUserName_pushesAndPullsInScope() {
        String token = create("--name", "ci-push", "--repository", "team-a/**",
                "--actions", "pull,push");

        Descriptor pushed = as("ci", token).pushImage("team-a/app/api", "v1");

        HttpResponse<byte[]> pulled = as("anyone-at-all", token).get(
                manifest("team-a/app/api", "v1"), "Accept", MediaTypes.OCI_MANIFEST);
        assertStatus(pulled, 200);
        assertThat(header(pulled, "Docker-Content-Digest")).isEqualTo(pushed.digest());
    }

    @Test
    void postUpload_ciTokenOutsideItsRepositories_returns403Denied() {
        String token = create("--name", "ci-narrow", "--repository", "team-a/**",
                "--actions", "pull,push");

        HttpResponse<byte[]> outside = as("ci", token).post(uploads("team-b/app"), new byte[0]);
        HttpResponse<byte[]> parent = as("ci", token).post(uploads("team-a"), new byte[0]);

        assertError(outside, 403, "DENIED");
        assertError(parent, 403, "DENIED");
    }

    @Test
    void deleteManifest_ciTokenWithoutDelete_returns403Denied() {
        String token = create("--name", "ci-nodelete", "--repository", "team-a/**",
                "--actions", "pull,push");
        Descriptor pushed = as("ci", token).pushImage("team-a/keep", "v1");

        HttpResponse<byte[]> response = as("ci", token).delete(manifest("team-a/keep",
                pushed.digest()));

        assertError(response, 403, "DENIED");
    }

    @Test
    void getToken_ciTokenAsPassword_grantsIntersectionToTokenSubject() {
        String token = create("--name", "ci-bearer", "--repository", "team-a/*",
                "--actions", "pull,push");

        HttpResponse<byte[]> response = tokens.get("ci", token,
                scope("team-a/web", "pull,push,delete"));

        String bearer = TokenEndpoint.token(response);
        assertThat(claims(bearer).getSubject()).isEqualTo("ci-token:" + id(token));
        assertThat(access(bearer)).containsExactly("repository:team-a/web:pull,push");
        RegistryClient registry = BERTH.anonymousClient().withBearer(bearer);
        Descriptor pushed = registry.pushImage("team-a/web", "v1");
        assertStatus(registry.head(manifest("team-a/web", pushed.digest())), 200);
    }

    @Test
    void revoke_thenLoginWithToken_returns401() {
        String token = create("--name", "ci-revoked", "--repository", "**", "--actions", "pull");
        assertStatus(as("ci", token).get("/v2/"), 200);

        Result revoked = BerthCli.token(BERTH.process().data(), "revoke", id(token));

        assertThat(revoked.exitCode()).as(revoked::describe).isZero();
        assertThat(revoked.stdoutLines()).contains("revoked " + id(token));
        assertError(as("ci", token).get("/v2/"), 401, "UNAUTHORIZED");
        assertError(tokens.get("ci", token), 401, "UNAUTHORIZED");
        assertThat(listLine(id(token))).endsWith("\trevoked");
    }

    @Test
    void refreshGrant_ciTokenRevokedSinceIssue_returns401() {
        String token = create("--name", "ci-refresh", "--repository", "**", "--actions", "pull");
        String refresh = json(tokens.getOffline("ci", token, scope("team-a/app", "pull")))
                .path("refresh_token").asText();
        BerthCli.token(BERTH.process().data(), "revoke", id(token));

        HttpResponse<byte[]> response = tokens.refreshGrant(refresh, scope("team-a/app", "pull"));

        assertError(response, 401, "UNAUTHORIZED");
    }

    @Test
    void basic_knownIdWrongSecret_returns401() {
        String token = create("--name", "ci-guess", "--repository", "**", "--actions", "pull");
        String guessed = token.substring(0, token.length() - 2) + "xx";

        HttpResponse<byte[]> response = as("ci", guessed).get("/v2/");

        assertError(response, 401, "UNAUTHORIZED");
    }

    @Test
    void login_userPasswordStartingLikeCiToken_returns200() {
        HttpResponse<byte[]> response = as(RELEASER, RELEASER_PASSWORD).get("/v2/");

        // berth passwd hashed this password without a word: the user must be able to use it.
        assertStatus(response, 200);
    }

    @Test
    void list_createdTokens_showScopeAndStateButNoSecret() {
        String forever = create("--name", "ci-list", "--repository", "team-a/**",
                "--repository", "library/*", "--actions", "pull,push");
        String expiring = create("--name", "ci-expiring", "--repository", "team-a/**",
                "--actions", "pull", "--expires", "1d");

        Result list = BerthCli.token(BERTH.process().data(), "list");

        assertThat(list.stdout()).doesNotContain(secret(forever), secret(expiring));
        assertThat(listLine(id(forever))).isEqualTo(String.join("\t", id(forever), "ci-list",
                "team-a/**,library/*", "pull,push", "never", "active"));
        String[] columns = listLine(id(expiring)).split("\t");
        assertThat(columns[1]).isEqualTo("ci-expiring");
        assertThat(Instant.parse(columns[4]))
                .isCloseTo(Instant.now().plus(1, ChronoUnit.DAYS), within(5, ChronoUnit.MINUTES));
        assertThat(columns[5]).isEqualTo("active");
    }

    @Test
    void revoke_unknownId_exitsNonZero() {
        Result result = BerthCli.token(BERTH.process().data(), "revoke", "00000000deadbeef");

        assertThat(result.exitCode()).as(result::describe).isNotZero();
        assertThat(result.stderr()).contains("00000000deadbeef");
    }

    @Test
    void create_stdout_holdsOnlyTheToken() {
        Result result = BerthCli.token(BERTH.process().data(), "create", "--name", "ci-script",
                "--repository", "team-a/**", "--actions", "pull");

        // A script runs TOKEN=$(berth token create ...): anything else on stdout breaks it.
        assertThat(result.exitCode()).as(result::describe).isZero();
        assertThat(result.stdoutLines()).as(result::describe).hasSize(1)
                .allMatch(line -> TOKEN.matcher(line).matches());
    }

    /** Runs {@code berth token create}, checks it succeeded and returns the token it printed. */
    private static String create(String... options) {
        String[] arguments = new String[options.length + 1];
        arguments[0] = "create";
        System.arraycopy(options, 0, arguments, 1, options.length);
        Result result = BerthCli.token(BERTH.process().data(), arguments);

        assertThat(result.exitCode()).as(result::describe).isZero();
        return result.stdoutLines().stream()
                .filter(line -> TOKEN.matcher(line).matches())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no token printed; " + result.describe()));
    }

    private static String listLine(String id) {
        Result list = BerthCli.token(BERTH.process().data(), "list");

        assertThat(list.exitCode()).as(list::describe).isZero();
        return list.stdoutLines().stream()
                .filter(line -> line.startsWith(id + "\t"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("token " + id + " not listed; "
                        + list.describe()));
    }

    private static String id(String token) {
        Matcher matcher = TOKEN.matcher(token);
        assertThat(matcher.matches()).as("token form of %s", token).isTrue();
        return matcher.group(1);
    }

    private static String secret(String token) {
        return token.substring(("berth_" + id(token) + "_").length());
    }

    private static RegistryClient as(String user, String password) {
        return BERTH.anonymousClient().withBasicAuth(user, password);
    }
}
