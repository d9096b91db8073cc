package dev.berth.it;

import static dev.berth.it.ClientChecks.assertBlobPresent;
import static dev.berth.it.ClientChecks.servedManifest;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.it.OciLayoutWriter.Image;

/**
 * podman pushes to Berth an image it loaded from an OCI layout, and pulls it back. podman keeps
 * layers uncompressed in its storage, so it compresses them again on push: what Berth receives
 * is podman's own manifest, whose digest both sides must agree on.
 */
class PodmanIT {
    private static final long MIB = 1L << 20;
    private static final String TAG = "latest";

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    @TempDir
    Path temp;

    private ClientSandbox clients;
    private OciLayoutWriter layout;

    @BeforeEach
    void createSandbox() {
        clients = ClientSandbox.create(temp, BERTH.process(), ClientBinary.PODMAN);
        layout = OciLayoutWriter.create(temp.resolve("layout"));
    }

    @Test
    void push_imageFromOciLayout_digestFileMatchesServedDigest() throws IOException {
        Image image = layout.writeImage(TAG, 4096, 100);
        String id = clients.podman("pull", layout.reference(TAG)).lastLine();
        String repo = Repos.unique("podman-push");
        Path digestFile = temp.resolve("pushed.digest");

        clients.podman("push", "--tls-verify=false", "--digestfile", digestFile.toString(), id,
                clients.docker(repo, "1"));

        HttpResponse<byte[]> served = servedManifest(BERTH.client(), repo, "1");
        assertThat(Files.readString(digestFile).strip())
                .isEqualTo(header(served, "Docker-Content-Digest"));
        assertThat(id).isEqualTo(image.config().digest().substring("sha256:".length()));
        assertBlobPresent(BERTH.client(), repo, image.config());
        for (Descriptor layer : ClientChecks.layers(served)) {
            assertBlobPresent(BERTH.client(), repo, layer);
        }
    }

    @Test
    void pull_largeImagePushedByPodman_sameImageAndRepoDigest() {
        layout.writeImage(TAG, 50 * MIB);
        String id = clients.podman("pull", layout.reference(TAG)).lastLine();
        String repo = Repos.unique("podman-roundtrip");
        clients.podman("push", "--tls-verify=false", id, clients.docker(repo, "1"));
        String served = header(servedManifest(BERTH.client(), repo, "1"), "Docker-Content-Digest");
        clients.podman("rmi", "--all", "--force");

        String pulled = clients.podman("pull", "--tls-verify=false", clients.image(repo, "1"))
                .lastLine();

        String digest = clients.podman("image", "inspect", "--format", "{{.Digest}}", pulled)
                .stdout();
        String repoDigests = clients.podman("image", "inspect", "--format",
                "{{json .RepoDigests}}", pulled).stdout();
        assertThat(pulled).isEqualTo(id);
        assertThat(digest.strip()).isEqualTo(served);
        assertThat(repoDigests).contains(clients.registry() + "/" + repo + "@" + served);
    }
}
