package dev.berth.it;

import static dev.berth.it.ClientChecks.servedManifest;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.berth.it.ClientBinary.ClientResult;
import dev.berth.it.OciLayoutWriter.Image;

/**
 * {@code skopeo login} and {@code podman login} with a password holding a colon, {@code @},
 * {@code !}, spaces and non-ASCII letters, given on standard input; then a push with skopeo and a
 * pull with podman, each using the credentials its login stored. Both clients follow the Docker
 * token flow: a challenge, then {@code GET /token} with Basic, then the bearer token.
 */
final class AuthClientsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "builder";
    private static final String PASSWORD = "pa:ss @!wörd ünïcødé";
    private static final String TAG = "latest";

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--htpasswd",
            AuthConfig.htpasswd(dir.resolve("htpasswd"), Map.of(USER, PASSWORD)).toString()));

    @TempDir
    Path temp;

    static Stream<ClientBinary> logins() {
        return Stream.of(ClientBinary.SKOPEO, ClientBinary.PODMAN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logins")
    void login_rightPassword_storesCredentialsInAuthFile(ClientBinary client) throws IOException {
        ClientSandbox clients = ClientSandbox.create(temp, BERTH.process(), client);
        Path authFile = temp.resolve("auth.json");

        ClientResult result = clients.login(client, authFile, USER, PASSWORD);

        assertThat(result.exitCode()).as(result::describe).isZero();
        assertThat(storedCredentials(authFile, clients.registry()))
                .isEqualTo(USER + ":" + PASSWORD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logins")
    void login_wrongPassword_failsAndStoresNothing(ClientBinary client) throws IOException {
        ClientSandbox clients = ClientSandbox.create(temp, BERTH.process(), client);
        Path authFile = temp.resolve("auth.json");

        ClientResult result = clients.login(client, authFile, USER, "pa:ss @!word unicode");

        assertThat(result.exitCode()).as(result::describe).isNotZero();
        assertThat(result.stderr()).contains("invalid username/password");
        assertThat(!Files.exists(authFile)
                || !JSON.readTree(authFile.toFile()).path("auths").has(clients.registry()))
                .as("entry for %s in %s", clients.registry(), authFile)
                .isTrue();
    }

    @Test
    void copyAndPull_afterLogins_skopeoPushesAndPodmanPullsSameImage() {
        ClientSandbox clients = ClientSandbox.create(temp, BERTH.process(), ClientBinary.SKOPEO,
                ClientBinary.PODMAN);
        Image image = OciLayoutWriter.create(temp.resolve("layout")).writeImage(TAG, 4096, 100);
        String repo = Repos.unique("auth-clients");
        Path skopeoAuth = temp.resolve("skopeo-auth.json");
        Path podmanAuth = temp.resolve("podman-auth.json");
        assertLoggedIn(clients.login(ClientBinary.SKOPEO, skopeoAuth, USER, PASSWORD));
        assertLoggedIn(clients.login(ClientBinary.PODMAN, podmanAuth, USER, PASSWORD));

        clients.skopeo("copy", "--authfile", skopeoAuth.toString(), "--dest-tls-verify=false",
                "oci:" + temp.resolve("layout") + ":" + TAG, clients.docker(repo, "1"));
        String pulled = clients.podman("pull", "--authfile", podmanAuth.toString(),
                "--tls-verify=false", clients.image(repo, "1")).lastLine();

        String served = header(servedManifest(BERTH.client().withBasicAuth(USER, PASSWORD), repo,
                "1"), "Docker-Content-Digest");
        assertThat(served).isEqualTo(image.manifest().digest());
        assertThat(clients.podman("image", "inspect", "--format", "{{.Digest}}", pulled)
                .stdout().strip()).isEqualTo(served);
    }

    @Test
    void pull_withoutLogin_failsUnauthorized() {
        ClientSandbox clients = ClientSandbox.create(temp, BERTH.process(), ClientBinary.PODMAN);
        String repo = Repos.unique("auth-clients-anonymous");
        BERTH.client().withBasicAuth(USER, PASSWORD).pushImage(repo, "1");

        ClientResult result = clients.run(ClientBinary.PODMAN, List.of("pull",
                "--tls-verify=false", clients.image(repo, "1")));

        assertThat(result.exitCode()).as(result::describe).isNotZero();
        assertThat(result.stderr()).containsIgnoringCase("unauthorized");
    }

    private static void assertLoggedIn(ClientResult login) {
        assertThat(login.exitCode()).as(login::describe).isZero();
    }

    /** The {@code user:password} an auth file holds for {@code registry}, decoded. */
    private static String storedCredentials(Path authFile, String registry) throws IOException {
        JsonNode entry = JSON.readTree(authFile.toFile()).path("auths").path(registry);
        byte[] decoded = Base64.getDecoder().decode(entry.path("auth").asText());
        return new String(decoded, StandardCharsets.UTF_8);
    }
}
