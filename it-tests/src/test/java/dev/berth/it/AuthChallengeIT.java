package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.tags;
import static dev.berth.it.Api.uploads;
import static dev.berth.it.Challenge.assertChallenge;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client without credentials is told: {@code 401} with a Bearer challenge naming the
 * token endpoint, the service and the scope the request needs, for every endpoint of the API.
 */
final class AuthChallengeIT {
    private static final String USER = "challenger";
    private static final String PASSWORD = "challenge:pass";
    private static final String DIGEST = RegistryClient.digest(new byte[] {1});
    private static final String UPLOAD = "/blobs/uploads/0b6b1fc3-5c2a-4a4e-9e51-2f1b0a8d7c11";

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of(
            "--htpasswd", AuthConfig.htpasswd(dir.resolve("htpasswd"), Map.of(USER, PASSWORD))
                    .toString()));

    private final RegistryClient anonymous = BERTH.anonymousClient();

    @Test
    void getBase_noCredentials_returns401WithChallengeWithoutScope() {
        HttpResponse<byte[]> response = anonymous.get("/v2/");

        assertChallenge(response, BERTH.process(), null, null);
    }

    @Test
    void getBase_basicCredentials_returns200() {
        HttpResponse<byte[]> response = anonymous.get("/v2/",
                "Authorization", RegistryClient.basic(USER, PASSWORD));

        assertStatus(response, 200);
        assertThat(header(response, "WWW-Authenticate")).isNull();
    }

    static Stream<Arguments> endpoints() {
        String repo = "team/app";
        return Stream.of(
                Arguments.of("GET", manifest(repo, "latest"), "pull"),
                Arguments.of("HEAD", manifest(repo, DIGEST), "pull"),
                Arguments.of("PUT", manifest(repo, "latest"), "pull,push"),
                Arguments.of("DELETE", manifest(repo, DIGEST), "delete"),
                Arguments.of("GET", blob(repo, DIGEST), "pull"),
                Arguments.of("HEAD", blob(repo, DIGEST), "pull"),
                Arguments.of("DELETE", blob(repo, DIGEST), "delete"),
                Arguments.of("POST", uploads(repo), "pull,push"),
                Arguments.of("POST", uploads(repo) + "?mount=" + DIGEST + "&from=other/app",
                        "pull,push"),
                Arguments.of("PATCH", "/v2/" + repo + UPLOAD, "pull,push"),
                Arguments.of("PUT", "/v2/" + repo + UPLOAD + "?digest=" + DIGEST, "pull,push"),
                Arguments.of("GET", "/v2/" + repo + UPLOAD, "pull,push"),
                Arguments.of("DELETE", "/v2/" + repo + UPLOAD, "pull,push"),
                Arguments.of("GET", tags(repo), "pull"),
                Arguments.of("GET", "/v2/" + repo + "/referrers/" + DIGEST, "pull"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void request_noCredentials_returns401WithRepositoryScope(String method, String path,
            String actions) {
        HttpResponse<byte[]> response = anonymous.send(method, path, BodyPublishers.noBody());

        assertChallenge(response, BERTH.process(), "repository:team/app:" + actions, null);
    }

    @Test
    void getManifest_nestedRepositoryName_scopeNamesWholeRepository() {
        HttpResponse<byte[]> response = anonymous.get(manifest("a/b/c/d", "v1"));

        assertChallenge(response, BERTH.process(), "repository:a/b/c/d:pull", null);
    }

    @Test
    void getCatalog_noCredentials_returns401WithCatalogScope() {
        HttpResponse<byte[]> response = anonymous.get("/v2/_catalog?n=10");

        assertChallenge(response, BERTH.process(), "registry:catalog:*", null);
    }

    @Test
    void getManifest_unknownAuthorizationScheme_returns401InvalidRequest() {
        HttpResponse<byte[]> response = anonymous.get(manifest("team/app", "latest"),
                "Authorization", "Digest username=\"" + USER + "\"");

        assertChallenge(response, BERTH.process(), "repository:team/app:pull", "invalid_request");
    }

    @Test
    void getManifest_basicNotBase64_returns401InvalidRequest() {
        HttpResponse<byte[]> response = anonymous.get(manifest("team/app", "latest"),
                "Authorization", "Basic %%%not-base64%%%");

        assertChallenge(response, BERTH.process(), "repository:team/app:pull", "invalid_request");
    }

    @Test
    void getManifest_wrongPassword_returns401InvalidToken() {
        HttpResponse<byte[]> response = anonymous.get(manifest("team/app", "latest"),
                "Authorization", RegistryClient.basic(USER, PASSWORD + "x"));

        assertChallenge(response, BERTH.process(), "repository:team/app:pull", "invalid_token");
    }

    @Test
    void getManifest_forwardedProtoHttps_realmUsesHttps() {
        HttpResponse<byte[]> response = anonymous.get(manifest("team/app", "latest"),
                "X-Forwarded-Proto", "https");

        assertThat(Challenge.parse(header(response, "WWW-Authenticate")).parameter("realm"))
                .isEqualTo("https://127.0.0.1:" + BERTH.process().port() + "/token");
    }

    @Test
    void getManifest_followingChallenge_tokenFromRealmOpensRepository() {
        String repo = Repos.unique("challenge-flow");
        Descriptor pushed = anonymous.withBasicAuth(USER, PASSWORD).pushImage(repo, "v1");
        Challenge challenge = Challenge.parse(
                header(anonymous.get(manifest(repo, "v1")), "WWW-Authenticate"));

        HttpResponse<byte[]> issued = anonymous.get(challenge.parameter("realm")
                        + "?service=" + challenge.parameter("service")
                        + "&scope=" + challenge.parameter("scope"),
                "Authorization", RegistryClient.basic(USER, PASSWORD));
        HttpResponse<byte[]> response = anonymous.get(manifest(repo, "v1"),
                "Authorization", "Bearer " + TokenEndpoint.token(issued),
                "Accept", MediaTypes.OCI_MANIFEST);

        assertStatus(response, 200);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(pushed.digest());
    }
}
