package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.MediaTypes.DOCKER_CONFIG;
import static dev.berth.it.MediaTypes.DOCKER_LAYER;
import static dev.berth.it.MediaTypes.DOCKER_LIST;
import static dev.berth.it.MediaTypes.DOCKER_MANIFEST;
import static dev.berth.it.MediaTypes.OCI_CONFIG;
import static dev.berth.it.MediaTypes.OCI_EMPTY;
import static dev.berth.it.MediaTypes.OCI_INDEX;
import static dev.berth.it.MediaTypes.OCI_LAYER;
import static dev.berth.it.MediaTypes.OCI_MANIFEST;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.RegistryClient.randomBytes;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The manifest formats real clients push: OCI indexes, Docker schema 2, artifacts, subjects. */
final class ManifestFormatsIT {
    private static final String ALL_TYPES = String.join(", ", OCI_MANIFEST, OCI_INDEX,
            DOCKER_MANIFEST, DOCKER_LIST);

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void putIndex_childrenPushedByDigest_returns201() {
        String repo = Repos.unique("index");
        Descriptor amd64 = pushImageByDigest(repo);
        Descriptor arm64 = pushImageByDigest(repo);
        String json = Manifests.index(amd64, arm64);

        String digest = registry.pushManifest(repo, "multi", OCI_INDEX, json);

        HttpResponse<byte[]> pulled = registry.get(manifest(repo, "multi"), "Accept", ALL_TYPES);
        assertStatus(pulled, 200);
        assertThat(header(pulled, "Content-Type")).isEqualTo(OCI_INDEX);
        assertThat(header(pulled, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(Responses.text(pulled)).isEqualTo(json);
    }

    @Test
    void putIndex_unknownChild_failsManifestBlobUnknown() {
        String repo = Repos.unique("index-unknown");
        Descriptor known = pushImageByDigest(repo);
        Descriptor unknown = new Descriptor(OCI_MANIFEST, digest(randomBytes(32)), 500);

        HttpResponse<byte[]> response = registry.putManifest(repo, "multi", OCI_INDEX,
                Manifests.index(known, unknown).getBytes(StandardCharsets.UTF_8));

        assertError(response, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void putDockerManifest_schema2_returns201AndKeepsDockerType() {
        String repo = Repos.unique("docker");
        Descriptor config = registry.pushBlob(repo, DOCKER_CONFIG, Manifests.config());
        Descriptor layer = registry.pushBlob(repo, DOCKER_LAYER, "layer " + UUID.randomUUID());
        String json = Manifests.dockerImage(config, layer);

        String digest = registry.pushManifest(repo, "v1", DOCKER_MANIFEST, json);

        HttpResponse<byte[]> pulled = registry.get(manifest(repo, "v1"), "Accept", ALL_TYPES);
        assertStatus(pulled, 200);
        assertThat(header(pulled, "Content-Type")).isEqualTo(DOCKER_MANIFEST);
        assertThat(header(pulled, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(Responses.text(pulled)).isEqualTo(json);
    }

    @Test
    void putDockerManifestList_childrenPushed_returns201AndKeepsDockerType() {
        String repo = Repos.unique("docker-list");
        Descriptor config = registry.pushBlob(repo, DOCKER_CONFIG, Manifests.config());
        Descriptor layer = registry.pushBlob(repo, DOCKER_LAYER, "layer " + UUID.randomUUID());
        String child = Manifests.dockerImage(config, layer);
        byte[] childBytes = bytes(child);
        String childDigest = digest(childBytes);
        registry.pushManifest(repo, childDigest, DOCKER_MANIFEST, child);
        String json = Manifests.dockerList(
                new Descriptor(DOCKER_MANIFEST, childDigest, childBytes.length));

        registry.pushManifest(repo, "list", DOCKER_LIST, json);

        HttpResponse<byte[]> pulled = registry.get(manifest(repo, "list"), "Accept", ALL_TYPES);
        assertStatus(pulled, 200);
        assertThat(header(pulled, "Content-Type")).isEqualTo(DOCKER_LIST);
        assertThat(Responses.text(pulled)).isEqualTo(json);
    }

    @Test
    void putArtifact_emptyConfigAndNoLayers_returns201() {
        String repo = Repos.unique("artifact");
        Descriptor empty = registry.pushBlob(repo, OCI_EMPTY, "{}");
        String json = Manifests.artifact("application/vnd.example.sbom.v1+json", empty);

        String digest = registry.pushManifest(repo, "sbom", OCI_MANIFEST, json);

        HttpResponse<byte[]> pulled = registry.get(manifest(repo, digest), "Accept", ALL_TYPES);
        assertStatus(pulled, 200);
        assertThat(header(pulled, "Content-Type")).isEqualTo(OCI_MANIFEST);
        assertThat(Responses.text(pulled)).isEqualTo(json);
    }

    @Test
    void putManifest_withSubject_returns201WithOciSubjectHeader() {
        String repo = Repos.unique("subject");
        Descriptor image = registry.pushImage(repo, "v1");
        Descriptor empty = registry.pushBlob(repo, OCI_EMPTY, "{}");
        Descriptor signature = registry.pushBlob(repo, "application/vnd.example.signature",
                UUID.randomUUID().toString());
        byte[] body = bytes(Manifests.imageWithSubject(empty, image, signature));

        HttpResponse<byte[]> response = registry.putManifest(repo, digest(body), OCI_MANIFEST,
                body);

        assertStatus(response, 201);
        assertThat(header(response, "OCI-Subject")).isEqualTo(image.digest());
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest(body));
    }

    @Test
    void putManifest_subjectNotPushed_returns201WithOciSubjectHeader() {
        String repo = Repos.unique("subject-absent");
        Descriptor config = registry.pushBlob(repo, OCI_CONFIG, Manifests.config());
        Descriptor absent = new Descriptor(OCI_MANIFEST, digest(randomBytes(16)), 321);
        byte[] body = bytes(Manifests.imageWithSubject(config, absent));

        HttpResponse<byte[]> response = registry.putManifest(repo, digest(body), OCI_MANIFEST,
                body);

        // The spec lets a referrer arrive before its subject (signatures pushed ahead of images).
        assertStatus(response, 201);
        assertThat(header(response, "OCI-Subject")).isEqualTo(absent.digest());
    }

    private Descriptor pushImageByDigest(String repo) {
        Descriptor config = registry.pushBlob(repo, OCI_CONFIG, Manifests.config());
        Descriptor layer = registry.pushBlob(repo, OCI_LAYER, "layer " + UUID.randomUUID());
        String json = Manifests.image(config, layer);
        String digest = registry.pushManifest(repo, digest(bytes(json)), OCI_MANIFEST, json);
        return new Descriptor(OCI_MANIFEST, digest, bytes(json).length);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
