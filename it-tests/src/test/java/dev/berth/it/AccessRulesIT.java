package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.uploads;
import static dev.berth.it.Challenge.assertChallenge;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.TokenEndpoint.access;
import static dev.berth.it.TokenEndpoint.scope;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Access rules from a YAML configuration: users in groups, rules by group, by user, for every
 * user and for anonymous callers. Basic callers lacking a right get {@code 403 DENIED};
 * anonymous callers get a challenge; tokens carry only what the rules allow.
 */
final class AccessRulesIT {
    static final String ALICE = "alice";
    static final String BOB = "bob";
    static final String CAROL = "carol";
    static final String PASSWORD = "rules:pass wörd";

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--config",
            config().write(dir.resolve("berth.yaml")).toString()));

    private static Descriptor libraryImage;

    private final RegistryClient anonymous = BERTH.anonymousClient();
    private final TokenEndpoint tokens = new TokenEndpoint(BERTH.client());

    /** Alice in team-a, Bob in team-b, Carol in no group; the library is public. */
    static AuthConfig config() {
        return AuthConfig.create()
                .user(ALICE, PASSWORD, "team-a")
                .user(BOB, PASSWORD, "team-b")
                .user(CAROL, PASSWORD)
                .rule(List.of("group:team-a"), List.of("team-a/**"),
                        List.of("pull", "push", "delete"))
                .rule(List.of("group:team-b"), List.of("team-b/**"), List.of("pull", "push"))
                .rule(List.of("anonymous"), List.of("library/**"), List.of("pull"))
                .rule(List.of("user:" + ALICE), List.of("library/**"), List.of("push"))
                .rule(List.of("*"), List.of("shared/*"), List.of("pull"));
    }

    @BeforeAll
    static void pushImages() {
        libraryImage = as(ALICE).pushImage("library/base", "1.0");
        as(ALICE).pushImage("team-a/app", "v1");
    }

    @Test
    void push_groupMemberToGroupRepository_returns201() {
        String repo = "team-b/" + Repos.unique("push").replace('/', '-');

        Descriptor pushed = as(BOB).pushImage(repo, "v1");

        HttpResponse<byte[]> pulled = as(BOB).get(manifest(repo, "v1"),
                "Accept", MediaTypes.OCI_MANIFEST);
        assertStatus(pulled, 200);
        assertThat(header(pulled, "Docker-Content-Digest")).isEqualTo(pushed.digest());
    }

    @Test
    void postUpload_otherGroupsRepository_returns403Denied() {
        HttpResponse<byte[]> response = as(BOB).post(uploads("team-a/app"), new byte[0]);

        assertError(response, 403, "DENIED");
    }

    @Test
    void getManifest_otherGroupsRepository_returns403Denied() {
        HttpResponse<byte[]> response = as(BOB).get(manifest("team-a/app", "v1"));

        assertError(response, 403, "DENIED");
    }

    @Test
    void deleteManifest_groupWithoutDelete_returns403Denied() {
        String repo = "team-b/" + Repos.unique("nodelete").replace('/', '-');
        Descriptor pushed = as(BOB).pushImage(repo, "v1");

        HttpResponse<byte[]> response = as(BOB).delete(manifest(repo, pushed.digest()));

        assertError(response, 403, "DENIED");
        assertStatus(as(BOB).head(manifest(repo, "v1")), 200);
    }

    @Test
    void getManifest_anonymousInPublicLibrary_returns200() {
        HttpResponse<byte[]> response = anonymous.get(manifest("library/base", "1.0"),
                "Accept", MediaTypes.OCI_MANIFEST);

        assertStatus(response, 200);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(libraryImage.digest());
        assertStatus(anonymous.head(manifest("library/base", libraryImage.digest())), 200);
    }

    @Test
    void postUpload_anonymousInPublicLibrary_returns401Challenge() {
        HttpResponse<byte[]> response = anonymous.post(uploads("library/base"), new byte[0]);

        assertChallenge(response, BERTH.process(), scope("library/base", "pull,push"), null);
    }

    @Test
    void getManifest_anonymousOutsideLibrary_returns401Challenge() {
        HttpResponse<byte[]> response = anonymous.get(manifest("team-a/app", "v1"));

        assertChallenge(response, BERTH.process(), scope("team-a/app", "pull"), null);
    }

    @Test
    void getManifest_userWithoutGroupInLibrary_returns200() {
        HttpResponse<byte[]> response = as(CAROL).get(manifest("library/base", "1.0"),
                "Accept", MediaTypes.OCI_MANIFEST);

        assertStatus(response, 200);
    }

    @Test
    void postUpload_userWithoutGroupInLibrary_returns403Denied() {
        HttpResponse<byte[]> response = as(CAROL).post(uploads("library/base"), new byte[0]);

        assertError(response, 403, "DENIED");
    }

    @Test
    void getManifest_singleStarPattern_coversOnePathComponentOnly() {
        HttpResponse<byte[]> oneLevel = as(CAROL).get(manifest("shared/tools", "v1"));
        HttpResponse<byte[]> twoLevels = as(CAROL).get(manifest("shared/tools/extra", "v1"));

        assertError(oneLevel, 404, "MANIFEST_UNKNOWN");
        assertError(twoLevels, 403, "DENIED");
    }

    @Test
    void getToken_rulesAllowPart_grantsIntersection() {
        HttpResponse<byte[]> library = tokens.get(ALICE, PASSWORD,
                scope("library/base", "pull,push,delete"));
        HttpResponse<byte[]> otherTeam = tokens.get(ALICE, PASSWORD,
                scope("team-b/x", "pull,push"));

        assertThat(access(TokenEndpoint.token(library)))
                .containsExactly("repository:library/base:pull,push");
        assertThat(access(TokenEndpoint.token(otherTeam))).containsExactly("repository:team-b/x:");
    }

    @Test
    void getToken_anonymousInLibrary_grantsPullOnly() {
        HttpResponse<byte[]> response = tokens.anonymous(scope("library/base", "pull,push"));

        assertThat(access(TokenEndpoint.token(response)))
                .containsExactly("repository:library/base:pull");
    }

    @Test
    void getManifest_tokenWithoutActionsForUserLackingRight_returns403Denied() {
        String token = tokens.accessToken(BOB, PASSWORD, scope("team-a/app", "pull"));

        HttpResponse<byte[]> response = anonymous.withBearer(token)
                .get(manifest("team-a/app", "v1"));

        assertError(response, 403, "DENIED");
    }

    @Test
    void putManifest_pullTokenForUserHoldingPush_returns401InsufficientScope() {
        String token = tokens.accessToken(ALICE, PASSWORD, scope("team-a/app", "pull"));

        HttpResponse<byte[]> response = anonymous.withBearer(token).putManifest("team-a/app",
                "v2", MediaTypes.OCI_MANIFEST, new byte[] {'{', '}'});

        assertChallenge(response, BERTH.process(), scope("team-a/app", "pull,push"),
                "insufficient_scope");
    }

    @Test
    void mount_fromRepositoryCallerCannotPull_opensUploadInstead() {
        String source = "team-a/" + Repos.unique("mount-source").replace('/', '-');
        String target = "team-b/" + Repos.unique("mount-target").replace('/', '-');
        String digest = as(ALICE).pushBlob(source, RegistryClient.randomBytes(512));

        HttpResponse<byte[]> response = as(BOB).post(uploads(target) + "?mount=" + digest
                + "&from=" + source, new byte[0]);

        assertStatus(response, 202);
        assertThat(header(response, "Location")).contains(uploads(target));
        assertStatus(as(BOB).head(blob(target, digest)), 404);
    }

    @Test
    void mount_fromPublicLibrary_returns201() {
        String source = "library/" + Repos.unique("mount-source").replace('/', '-');
        String target = "team-b/" + Repos.unique("mount-target").replace('/', '-');
        String digest = as(ALICE).pushBlob(source, RegistryClient.randomBytes(512));

        HttpResponse<byte[]> response = as(BOB).post(uploads(target) + "?mount=" + digest
                + "&from=" + source, new byte[0]);

        assertStatus(response, 201);
        assertStatus(as(BOB).head(blob(target, digest)), 200);
    }

    private static RegistryClient as(String user) {
        return BERTH.anonymousClient().withBasicAuth(user, PASSWORD);
    }
}
