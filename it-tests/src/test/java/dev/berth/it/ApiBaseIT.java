package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertJsonError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The version check endpoint, routing, methods and repository name validation. */
final class ApiBaseIT {
    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    @Test
    void getBase_anyClient_returns200WithApiVersion() {
        HttpResponse<byte[]> response = BERTH.client().get("/v2/");

        assertStatus(response, 200);
        assertThat(header(response, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    }

    @Test
    void getBase_noCredentialsAuthOff_returns200() {
        assumeFalse(BerthExtension.authEnabled(), "with authentication on, see the next test");

        HttpResponse<byte[]> response = BERTH.anonymousClient().get("/v2/");

        assertStatus(response, 200);
        assertThat(header(response, "WWW-Authenticate")).isNull();
    }

    @Test
    void getBase_noCredentialsAuthOn_returns401Challenge() {
        assumeTrue(BerthExtension.authEnabled(), "with authentication off, see the previous test");

        HttpResponse<byte[]> response = BERTH.anonymousClient().get("/v2/");

        Challenge.assertChallenge(response, BERTH.process(), null, null);
    }

    @Test
    void get_unknownPath_returns404WithJsonError() {
        HttpResponse<byte[]> response = BERTH.client().get("/v2/foo/bar");

        assertJsonError(response, 404);
    }

    @Test
    void post_onManifest_returns405() {
        String repo = Repos.unique("method");

        HttpResponse<byte[]> response = BERTH.client().post(manifest(repo, "x"),
                "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", MediaTypes.OCI_MANIFEST);

        assertJsonError(response, 405);
    }

    @Test
    void getManifest_uppercaseName_failsNameInvalid() {
        HttpResponse<byte[]> response = BERTH.client().get("/v2/UPPER/manifests/x");

        assertError(response, 400, "NAME_INVALID");
    }

    @Test
    void getManifest_doubleDotName_failsNameInvalid() {
        HttpResponse<byte[]> response = BERTH.client().get("/v2/a..b/manifests/x");

        assertError(response, 400, "NAME_INVALID");
    }

    @Test
    void putManifest_invalidName_failsNameInvalid() {
        byte[] body = Manifests.index().getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> response = BERTH.client().putManifest("it/Bad_-Name", "x",
                MediaTypes.OCI_INDEX, body);

        assertError(response, 400, "NAME_INVALID");
    }

    @Test
    void postUpload_invalidName_failsNameInvalid() {
        HttpResponse<byte[]> response = BERTH.client().post("/v2/a..b/blobs/uploads/", new byte[0]);

        assertError(response, 400, "NAME_INVALID");
    }

    @Test
    void getTags_invalidName_failsNameInvalid() {
        HttpResponse<byte[]> response = BERTH.client().get("/v2/-leading/tags/list");

        assertError(response, 400, "NAME_INVALID");
    }
}
