package dev.berth.it;

import static dev.berth.it.ClientChecks.assertBlobPresent;
import static dev.berth.it.ClientChecks.servedManifest;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * buildah builds an image from scratch ({@code from scratch}, {@code copy}, {@code commit}) and
 * pushes it to Berth as an OCI image manifest, its default, and as Docker schema 2.
 */
class BuildahIT {
    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    @TempDir
    Path temp;

    private ClientSandbox clients;

    @BeforeEach
    void createSandbox() {
        clients = ClientSandbox.create(temp, BERTH.process(), ClientBinary.BUILDAH);
    }

    @Test
    void push_defaultFormat_servesOciImageManifest() throws IOException {
        String image = buildFromScratch();
        String repo = Repos.unique("buildah-oci");
        Path digestFile = temp.resolve("pushed.digest");

        push(image, repo, digestFile);

        HttpResponse<byte[]> served = servedManifest(BERTH.client(), repo, "1");
        JsonNode manifest = json(served);
        assertThat(header(served, "Content-Type")).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(header(served, "Docker-Content-Digest"))
                .isEqualTo(Files.readString(digestFile).strip());
        assertThat(manifest.path("config").path("mediaType").asText())
                .isEqualTo(MediaTypes.OCI_CONFIG);
        assertThat(ClientChecks.layers(served))
                .extracting(Descriptor::mediaType)
                .containsOnly(MediaTypes.OCI_LAYER);
        assertServedBlobs(repo, served);
    }

    @Test
    void push_formatDocker_servesDockerSchema2() throws IOException {
        String image = buildFromScratch();
        String repo = Repos.unique("buildah-docker");
        Path digestFile = temp.resolve("pushed.digest");

        push(image, repo, digestFile, "--format", "docker");

        HttpResponse<byte[]> served = servedManifest(BERTH.client(), repo, "1");
        JsonNode manifest = json(served);
        assertThat(header(served, "Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(header(served, "Docker-Content-Digest"))
                .isEqualTo(Files.readString(digestFile).strip());
        assertThat(manifest.path("config").path("mediaType").asText())
                .isEqualTo(MediaTypes.DOCKER_CONFIG);
        assertThat(ClientChecks.layers(served))
                .extracting(Descriptor::mediaType)
                .containsOnly(MediaTypes.DOCKER_LAYER);
        assertServedBlobs(repo, served);
    }

    /** A one-layer image of two files, committed to the sandbox's storage; returns its ID. */
    private String buildFromScratch() throws IOException {
        Path files = Files.createDirectories(temp.resolve("files"));
        Path hello = Files.writeString(files.resolve("hello.txt"), "hello from buildah\n");
        Path data = Files.write(files.resolve("data.bin"), RegistryClient.randomBytes(256 * 1024));

        String container = clients.buildah("from", "scratch").lastLine();
        clients.buildah("copy", container, hello.toString(), data.toString(), "/app/");
        clients.buildah("config", "--entrypoint", "[\"/app/hello.txt\"]", container);
        return clients.buildah("commit", container).lastLine();
    }

    /** {@code buildah push} without retries, so a failed request fails the test at once. */
    private void push(String image, String repo, Path digestFile, String... options) {
        List<String> arguments = new ArrayList<>(List.of("--tls-verify=false",
                "--retry", "0", "--digestfile", digestFile.toString()));
        arguments.addAll(List.of(options));
        arguments.addAll(List.of(image, clients.docker(repo, "1")));
        clients.buildah("push", arguments.toArray(String[]::new));
    }

    private static void assertServedBlobs(String repo, HttpResponse<byte[]> served) {
        JsonNode config = json(served).path("config");
        assertBlobPresent(BERTH.client(), repo, new Descriptor(config.path("mediaType").asText(),
                config.path("digest").asText(), config.path("size").asLong()));
        for (Descriptor layer : ClientChecks.layers(served)) {
            assertBlobPresent(BERTH.client(), repo, layer);
        }
    }
}
