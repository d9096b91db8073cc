package dev.berth.it;

import static dev.berth.it.ClientChecks.assertBlobPresent;
import static dev.berth.it.ClientChecks.queryEncoded;
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

import dev.berth.it.OciLayoutWriter.Image;
import dev.berth.it.OciLayoutWriter.Index;

/** {@code skopeo copy} from an OCI layout to Berth, back again, and within Berth. */
class SkopeoCopyIT {
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
        clients = ClientSandbox.create(temp, BERTH.process(), ClientBinary.SKOPEO);
        layout = OciLayoutWriter.create(temp.resolve("layout"));
    }

    @Test
    void copy_largeImageToBerthAndBack_layersByteIdentical() throws IOException {
        Image image = layout.writeImage(TAG, 50 * MIB, 1000);
        String repo = Repos.unique("skopeo-roundtrip");
        Path back = temp.resolve("back");

        clients.skopeo("copy", "--dest-tls-verify=false", layout.reference(TAG),
                clients.docker(repo, "1"));
        clients.skopeo("copy", "--src-tls-verify=false", clients.docker(repo, "1"),
                "oci:" + back + ":" + TAG);

        assertThat(header(servedManifest(BERTH.client(), repo, "1"), "Docker-Content-Digest"))
                .isEqualTo(image.manifest().digest());
        assertThat(image.layers().get(0).size()).isGreaterThan(50 * MIB);
        for (Descriptor layer : image.layers()) {
            Path copied = back.resolve("blobs/sha256").resolve(hex(layer.digest()));
            assertThat(Files.mismatch(layout.blob(layer.digest()), copied))
                    .as("first differing byte of layer %s after the round trip", layer.digest())
                    .isEqualTo(-1L);
        }
        assertThat(back.resolve("blobs/sha256").resolve(hex(image.manifest().digest())))
                .hasSameBinaryContentAs(layout.blob(image.manifest().digest()));
    }

    @Test
    void copyAll_twoPlatformIndex_servesIndexWithBothManifests() {
        Index written = layout.writeIndex(TAG, 4096);
        String repo = Repos.unique("skopeo-index");

        clients.skopeo("copy", "--all", "--dest-tls-verify=false", layout.reference(TAG),
                clients.docker(repo, "1"));

        HttpResponse<byte[]> index = servedManifest(BERTH.client(), repo, "1");
        assertThat(header(index, "Content-Type")).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(header(index, "Docker-Content-Digest")).isEqualTo(written.index().digest());
        List<String> children = new ArrayList<>();
        List<String> architectures = new ArrayList<>();
        for (JsonNode child : json(index).path("manifests")) {
            children.add(child.path("digest").asText());
            architectures.add(child.path("platform").path("architecture").asText());
        }
        assertThat(architectures).containsExactly("amd64", "arm64");
        assertThat(children).containsExactly(written.images().get(0).manifest().digest(),
                written.images().get(1).manifest().digest());
        for (Image image : written.images()) {
            servedManifest(BERTH.client(), repo, image.manifest().digest());
            assertBlobPresent(BERTH.client(), repo, image.config());
            assertBlobPresent(BERTH.client(), repo, image.layers().get(0));
        }
    }

    @Test
    void copy_formatV2s2_servesDockerSchema2() {
        Image image = layout.writeImage(TAG, 4096);
        String repo = Repos.unique("skopeo-v2s2");

        clients.skopeo("copy", "--format", "v2s2", "--dest-tls-verify=false",
                layout.reference(TAG), clients.docker(repo, "1"));

        HttpResponse<byte[]> response = servedManifest(BERTH.client(), repo, "1");
        JsonNode manifest = json(response);
        assertThat(header(response, "Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(manifest.path("mediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(manifest.path("config").path("mediaType").asText())
                .isEqualTo(MediaTypes.DOCKER_CONFIG);
        assertThat(manifest.path("layers").path(0).path("mediaType").asText())
                .isEqualTo(MediaTypes.DOCKER_LAYER);
        assertThat(manifest.path("layers").path(0).path("digest").asText())
                .isEqualTo(image.layers().get(0).digest());
        assertBlobPresent(BERTH.client(), repo, image.layers().get(0));
    }

    @Test
    void copy_betweenRepositories_mountsLayerInsteadOfUploading() {
        Image image = layout.writeImage(TAG, 256 * 1024);
        Descriptor layer = image.layers().get(0);
        String source = Repos.unique("skopeo-mirror-source");
        String target = Repos.unique("skopeo-mirror-target");
        clients.skopeo("copy", "--dest-tls-verify=false", layout.reference(TAG),
                clients.docker(source, "1"));

        clients.skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                clients.docker(source, "1"), clients.docker(target, "1"));

        List<String> log = ClientChecks.accessLogSoFar(BERTH);
        String uploads = "uri=/v2/" + target + "/blobs/uploads/";
        assertThat(log)
                .as("access log of the copy from %s to %s", source, target)
                .anyMatch(line -> line.contains("method=POST " + uploads + "?")
                        && line.contains("mount=" + queryEncoded(layer.digest()))
                        && line.contains("status=201"))
                .noneMatch(line -> line.contains("method=PUT " + uploads)
                        && line.contains("digest=" + queryEncoded(layer.digest())));
        assertBlobPresent(BERTH.client(), target, layer);
        assertThat(header(servedManifest(BERTH.client(), target, "1"), "Docker-Content-Digest"))
                .isEqualTo(image.manifest().digest());
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }
}
