package dev.berth.it;

import static dev.berth.it.Challenge.assertChallenge;
import static dev.berth.it.GcRuns.DRY_RUN_PATH;
import static dev.berth.it.GcRuns.PATH;
import static dev.berth.it.Responses.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.berth.it.BerthCli.Result;

/**
 * Who may run garbage collection with authentication on: the users and groups named in
 * {@code auth.admins}, with Basic or a bearer token; not another user, however much else the
 * rules let them do, nor a CI token, whatever user name comes with it.
 */
final class AdminAuthIT {
    private static final String ADMIN = "alice";
    private static final String ADMIN_PASSWORD = "alice: admin pässword";
    private static final String OPERATOR = "carol";
    private static final String OPERATOR_PASSWORD = "carol: operator";
    private static final String USER = "bob";
    private static final String USER_PASSWORD = "bob: pushes everything";

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> {
        Path config = AuthConfig.create()
                .user(ADMIN, ADMIN_PASSWORD)
                .user(OPERATOR, OPERATOR_PASSWORD, "ops")
                .user(USER, USER_PASSWORD)
                .rule(List.of("*"), List.of("**"), List.of("pull", "push", "delete"))
                .write(dir.resolve("berth.yaml"));
        GcConfig.immediate().admins(ADMIN, "group:ops").appendTo(config);
        return List.of("--config", config.toString());
    });

    private final RegistryClient anonymous = BERTH.anonymousClient();

    @Test
    void postGc_adminWithBasic_returns200Report() {
        RegistryClient admin = anonymous.withBasicAuth(ADMIN, ADMIN_PASSWORD);

        JsonNode dryRun = GcRuns.collect(admin, true);
        JsonNode run = GcRuns.collect(admin, false);

        assertThat(dryRun.has("bytesFreed")).as(dryRun::toString).isTrue();
        assertThat(run.has("blobsDeleted")).as(run::toString).isTrue();
    }

    @Test
    void postGc_adminGroupMember_returns200Report() {
        RegistryClient operator = anonymous.withBasicAuth(OPERATOR, OPERATOR_PASSWORD);

        JsonNode report = GcRuns.collect(operator, true);

        assertThat(report.has("manifestsDeleted")).as(report::toString).isTrue();
    }

    @Test
    void postGc_adminWithBearerToken_returns200Report() {
        String token = new TokenEndpoint(anonymous).accessToken(ADMIN, ADMIN_PASSWORD);

        JsonNode report = GcRuns.collect(anonymous.withBearer(token), true);

        assertThat(report.has("tagsDeleted")).as(report::toString).isTrue();
    }

    @Test
    void postGc_userNotAdmin_returns403Denied() {
        RegistryClient user = anonymous.withBasicAuth(USER, USER_PASSWORD);

        HttpResponse<byte[]> dryRun = user.post(DRY_RUN_PATH, new byte[0]);
        HttpResponse<byte[]> run = user.post(PATH, new byte[0]);

        assertError(dryRun, 403, "DENIED");
        assertError(run, 403, "DENIED");
    }

    @Test
    void postGc_noCredentials_returns401Challenge() {
        HttpResponse<byte[]> response = anonymous.post(PATH, new byte[0]);

        assertChallenge(response, BERTH.process(), null, null);
    }

    @Test
    void postGc_wrongAdminPassword_returns401() {
        HttpResponse<byte[]> response = anonymous.withBasicAuth(ADMIN, "not the password")
                .post(PATH, new byte[0]);

        assertError(response, 401, "UNAUTHORIZED");
    }

    @Test
    void postGc_ciTokenUnderAdminName_returns403Denied() {
        Result created = BerthCli.token(BERTH.process().data(), "create", "--name", "ci-gc",
                "--repository", "**", "--actions", "pull,push");
        assertThat(created.exitCode()).as(created::describe).isZero();
        String token = created.stdout().strip();

        HttpResponse<byte[]> response = anonymous.withBasicAuth(ADMIN, token)
                .post(PATH, new byte[0]);

        assertError(response, 403, "DENIED");
    }
}
