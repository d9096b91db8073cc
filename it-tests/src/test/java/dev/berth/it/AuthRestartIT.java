package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.json;
import static dev.berth.it.TokenEndpoint.scope;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What authentication keeps across a restart on the same data directory: the signing key, so
 * tokens issued before stay valid until they expire, and nothing about users, whose removal
 * from the configuration takes effect at the restart.
 */
final class AuthRestartIT {
    private static final String USER = "keeper";
    private static final String PASSWORD = "kept: päss wörd!";
    private static final String GONE = "leaver";

    @TempDir
    Path temp;

    @Test
    void restart_sameDataDirectory_tokenIssuedBeforeStillOpensRepository() throws IOException {
        Path data = temp.resolve("data");
        Path htpasswd = AuthConfig.htpasswd(temp.resolve("htpasswd"), Map.of(USER, PASSWORD));
        BerthProcess berth = BerthProcess.startWith(data, List.of(),
                List.of("--htpasswd", htpasswd.toString()));
        try {
            Descriptor pushed = new RegistryClient(berth.baseUri()).withBasicAuth(USER, PASSWORD)
                    .pushImage("kept/app", "v1");
            String token = new TokenEndpoint(new RegistryClient(berth.baseUri()))
                    .accessToken(USER, PASSWORD, scope("kept/app", "pull"));
            byte[] key = Files.readAllBytes(data.resolve(TokenForge.KEY_FILE));

            berth = berth.restart();

            HttpResponse<byte[]> pulled = new RegistryClient(berth.baseUri()).withBearer(token)
                    .get(manifest("kept/app", "v1"), "Accept", MediaTypes.OCI_MANIFEST);
            assertStatus(pulled, 200);
            assertThat(header(pulled, "Docker-Content-Digest")).isEqualTo(pushed.digest());
            assertThat(data.resolve(TokenForge.KEY_FILE)).hasBinaryContent(key);
        } finally {
            berth.close();
        }
    }

    @Test
    void start_firstTime_writesSigningKeyPairOnlyOwnerMayRead() throws IOException {
        Path data = temp.resolve("data");
        Path htpasswd = AuthConfig.htpasswd(temp.resolve("htpasswd"), Map.of(USER, PASSWORD));

        try (BerthProcess berth = BerthProcess.startWith(data, List.of(),
                List.of("--htpasswd", htpasswd.toString()))) {
            Path key = data.resolve(TokenForge.KEY_FILE);
            assertThat(Files.readString(key)).contains("-----BEGIN PRIVATE KEY-----",
                    "-----END PRIVATE KEY-----", "-----BEGIN PUBLIC KEY-----");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                    .isEqualTo("rw-------");
            String token = new TokenEndpoint(new RegistryClient(berth.baseUri()))
                    .accessToken(USER, PASSWORD);
            assertThat(TokenForge.of(data).signedByServer(token)).isTrue();
        }
    }

    @Test
    void refreshGrant_userRemovedFromConfigBeforeRestart_returns401() {
        Path data = temp.resolve("data");
        Path config = withUsers(USER, GONE);
        BerthProcess berth = BerthProcess.startWith(data, List.of(),
                List.of("--config", config.toString()));
        try {
            TokenEndpoint tokens = new TokenEndpoint(new RegistryClient(berth.baseUri()));
            String kept = refreshToken(tokens.passwordGrant(USER, PASSWORD));
            String removed = refreshToken(tokens.passwordGrant(GONE, PASSWORD));
            withUsers(USER);

            berth = berth.restart();

            tokens = new TokenEndpoint(new RegistryClient(berth.baseUri()));
            HttpResponse<byte[]> refused = tokens.refreshGrant(removed, scope("kept/app", "pull"));
            HttpResponse<byte[]> renewed = tokens.refreshGrant(kept, scope("kept/app", "pull"));
            assertError(refused, 401, "UNAUTHORIZED");
            assertThat(json(refused).has("token")).isFalse();
            assertStatus(renewed, 200);
            assertError(tokens.get(GONE, PASSWORD), 401, "UNAUTHORIZED");
        } finally {
            berth.close();
        }
    }

    @Test
    void getToken_tokenTtlInConfig_setsExpiry() {
        Path config = AuthConfig.create()
                .user(USER, PASSWORD)
                .set("tokenTtl", "90s")
                .write(temp.resolve("berth.yaml"));

        try (BerthProcess berth = BerthProcess.startWith(temp.resolve("data"), List.of(),
                List.of("--config", config.toString()))) {
            HttpResponse<byte[]> response = new TokenEndpoint(new RegistryClient(berth.baseUri()))
                    .get(USER, PASSWORD, scope("kept/app", "pull"));

            assertStatus(response, 200);
            assertThat(json(response).path("expires_in").asLong()).isEqualTo(90);
            JWTClaimsSet claims = TokenEndpoint.claims(TokenEndpoint.token(response));
            assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
                    .isEqualTo(90_000);
        }
    }

    private Path withUsers(String... users) {
        AuthConfig config = AuthConfig.create();
        for (String user : users) {
            config.user(user, PASSWORD);
        }
        return config.write(temp.resolve("berth.yaml"));
    }

    private static String refreshToken(HttpResponse<byte[]> response) {
        assertStatus(response, 200);
        return json(response).path("refresh_token").asText();
    }
}
