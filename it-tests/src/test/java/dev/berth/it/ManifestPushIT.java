package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.MediaTypes.OCI_CONFIG;
import static dev.berth.it.MediaTypes.OCI_LAYER;
import static dev.berth.it.MediaTypes.OCI_MANIFEST;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pushing OCI image manifests, pulling them back byte for byte, and moving tags. */
final class ManifestPushIT {
    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void putManifest_byTag_returns201WithDigestOfExactBytes() {
        String repo = Repos.unique("push");
        byte[] body = oddlyFormattedImage(repo);

        HttpResponse<byte[]> response = registry.putManifest(repo, "v1", OCI_MANIFEST, body);

        assertStatus(response, 201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest(body));
        assertThat(registry.resolve(header(response, "Location")).getPath())
                .startsWith("/v2/" + repo + "/manifests/");
    }

    @Test
    void getManifest_byTagAndByDigest_returnsPushedBytesUnchanged() {
        String repo = Repos.unique("pull");
        byte[] body = oddlyFormattedImage(repo);
        String digest = digest(body);
        assertStatus(registry.putManifest(repo, "v1", OCI_MANIFEST, body), 201);

        HttpResponse<byte[]> byTag = registry.get(manifest(repo, "v1"), "Accept", OCI_MANIFEST);
        HttpResponse<byte[]> byDigest = registry.get(manifest(repo, digest),
                "Accept", OCI_MANIFEST);

        for (HttpResponse<byte[]> response : Arrays.asList(byTag, byDigest)) {
            assertStatus(response, 200);
            assertThat(response.body()).isEqualTo(body);
            assertThat(header(response, "Content-Type")).isEqualTo(OCI_MANIFEST);
            assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
            assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(body.length));
        }
    }

    @Test
    void headManifest_byTag_returnsHeadersWithRealLengthAndNoBody() {
        String repo = Repos.unique("head");
        byte[] body = oddlyFormattedImage(repo);
        assertStatus(registry.putManifest(repo, "v1", OCI_MANIFEST, body), 201);

        HttpResponse<byte[]> response = registry.head(manifest(repo, "v1"), "Accept", OCI_MANIFEST);

        assertStatus(response, 200);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Type")).isEqualTo(OCI_MANIFEST);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest(body));
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(body.length));
    }

    @Test
    void putManifest_byMatchingDigest_returns201() {
        String repo = Repos.unique("by-digest");
        byte[] body = oddlyFormattedImage(repo);

        HttpResponse<byte[]> response = registry.putManifest(repo, digest(body), OCI_MANIFEST,
                body);

        assertStatus(response, 201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest(body));
        assertThat(registry.get(manifest(repo, digest(body))).body()).isEqualTo(body);
    }

    @Test
    void putManifest_byWrongDigest_failsDigestInvalid() {
        String repo = Repos.unique("wrong-digest");
        byte[] body = oddlyFormattedImage(repo);
        String wrong = digest(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));

        HttpResponse<byte[]> response = registry.putManifest(repo, wrong, OCI_MANIFEST, body);

        assertError(response, 400, "DIGEST_INVALID");
        assertStatus(registry.head(manifest(repo, wrong)), 404);
    }

    @Test
    void putManifest_existingTag_movesTagToNewManifest() {
        String repo = Repos.unique("retag");
        Descriptor first = registry.pushImage(repo, "latest");
        Descriptor second = registry.pushImage(repo, "other");
        // Reading the tag first puts it in the tag cache, which the retag must invalidate.
        assertThat(header(registry.get(manifest(repo, "latest")), "Docker-Content-Digest"))
                .isEqualTo(first.digest());

        HttpResponse<byte[]> response = registry.putManifest(repo, "latest", OCI_MANIFEST,
                registry.get(manifest(repo, second.digest())).body());

        assertStatus(response, 201);
        HttpResponse<byte[]> latest = registry.get(manifest(repo, "latest"));
        assertThat(header(latest, "Docker-Content-Digest")).isEqualTo(second.digest());
        assertStatus(registry.get(manifest(repo, first.digest())), 200);
    }

    /**
     * An image manifest with keys out of the usual order, odd spacing, a tab and trailing
     * newlines: a registry that re-serialises it would change its digest.
     */
    private byte[] oddlyFormattedImage(String repo) {
        Descriptor config = registry.pushBlob(repo, OCI_CONFIG, Manifests.config());
        Descriptor layer = registry.pushBlob(repo, OCI_LAYER, "layer " + UUID.randomUUID());
        String json = "{\n   \"layers\" : [ " + layer.json() + " ],\n\t\"config\":" + config.json()
                + ",  \"mediaType\": \"" + OCI_MANIFEST + "\" ,\n\"schemaVersion\" :2 ,"
                + "\"annotations\":{\"z\":\"1\",  \"a\":\"2\"}}\n\n";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
