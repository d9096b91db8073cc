package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.manifest;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.json;
import static dev.berth.it.TokenEndpoint.access;
import static dev.berth.it.TokenEndpoint.claims;
import static dev.berth.it.TokenEndpoint.scope;
import static dev.berth.it.TokenEndpoint.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Users whose names and passwords hold colons, {@code @}, {@code !}, spaces and non-ASCII
 * letters log in every way a client does: Basic on {@code /token}, the OAuth2 password grant,
 * Basic on {@code /v2/} as curl sends it, and a push and pull with the token they get. The
 * passwords are hashed with {@code berth passwd} into an htpasswd file, as an operator would.
 */
final class PasswordCharactersIT {
    private static final Map<String, String> USERS = users();

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--htpasswd",
            AuthConfig.htpasswd(dir.resolve("htpasswd"), USERS).toString()));

    private final TokenEndpoint tokens = new TokenEndpoint(BERTH.client());

    private static Map<String, String> users() {
        Map<String, String> users = new LinkedHashMap<>();
        users.put("colon", "pa:ss @!wörd");
        users.put("unicode", "ünïcødé:pässwörd");
        users.put("jürgen", "Grüße aus Köln: 100%!");
        users.put("dev@example.com", " spaced:out @ both ends ");
        users.put("cjk", "密码:パスワード 비밀번호");
        return users;
    }

    static Stream<Arguments> credentials() {
        return USERS.entrySet().stream()
                .map(user -> Arguments.of(user.getKey(), user.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void getToken_basic_issuesTokenForUser(String user, String password) {
        HttpResponse<byte[]> response = tokens.get(user, password, scope("team/app", "pull,push"));

        String token = token(response);
        assertThat(claims(token).getSubject()).isEqualTo(user);
        assertThat(access(token)).containsExactly("repository:team/app:pull,push");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void postToken_passwordGrant_issuesTokenForUser(String user, String password) {
        HttpResponse<byte[]> response = tokens.passwordGrant(user, password,
                scope("team/app", "pull"));

        String token = token(response);
        assertThat(claims(token).getSubject()).isEqualTo(user);
        assertThat(json(response).path("refresh_token").asText()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void getBase_basicAsCurlSendsIt_returns200(String user, String password) {
        HttpResponse<byte[]> response = BERTH.anonymousClient().get("/v2/",
                "Authorization", RegistryClient.basic(user, password));

        assertStatus(response, 200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void getToken_passwordWithoutLastCharacter_returns401(String user, String password) {
        String almost = password.substring(0, password.length() - 1);

        HttpResponse<byte[]> response = tokens.get(user, almost, scope("team/app", "pull"));

        assertError(response, 401, "UNAUTHORIZED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void pushAndPull_bearerTokenOfUser_roundTripsImage(String user, String password) {
        String repo = Repos.unique("charset");
        RegistryClient registry = BERTH.anonymousClient()
                .withBearer(tokens.accessToken(user, password, scope(repo, "pull,push")));
        byte[] layer = RegistryClient.randomBytes(4096);

        String layerDigest = registry.pushBlob(repo, layer);
        Descriptor config = registry.pushBlob(repo, MediaTypes.OCI_CONFIG, Manifests.config());
        String manifest = Manifests.image(config,
                new Descriptor(MediaTypes.OCI_LAYER, layerDigest, layer.length));
        String manifestDigest = registry.pushManifest(repo, "v1", MediaTypes.OCI_MANIFEST,
                manifest);

        HttpResponse<byte[]> pulledManifest = registry.get(manifest(repo, "v1"),
                "Accept", MediaTypes.OCI_MANIFEST);
        HttpResponse<byte[]> pulledLayer = registry.get(blob(repo, layerDigest));
        assertStatus(pulledManifest, 200);
        assertThat(header(pulledManifest, "Docker-Content-Digest")).isEqualTo(manifestDigest);
        assertThat(new String(pulledManifest.body(), StandardCharsets.UTF_8)).isEqualTo(manifest);
        assertStatus(pulledLayer, 200);
        assertThat(pulledLayer.body()).isEqualTo(layer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void pushAndPull_basicOnEveryRequest_roundTripsImage(String user, String password) {
        String repo = Repos.unique("charset-basic");
        RegistryClient registry = BERTH.anonymousClient().withBasicAuth(user, password);

        Descriptor pushed = registry.pushImage(repo, "v1");

        HttpResponse<byte[]> pulled = registry.get(manifest(repo, "v1"),
                "Accept", MediaTypes.OCI_MANIFEST);
        assertStatus(pulled, 200);
        assertThat(header(pulled, "Docker-Content-Digest")).isEqualTo(pushed.digest());
    }
}
