package dev.berth.it;

import static dev.berth.it.ClientChecks.assertBlobPresent;
import static dev.berth.it.ClientChecks.servedManifest;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jib, the library behind the Jib Maven and Gradle plugins, builds an image from scratch with a
 * layer of files and pushes it to Berth over plain HTTP, as a Java build would.
 */
class JibIT {
    private static final Duration TIMEOUT = ClientBinary.TIMEOUT;

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    @TempDir
    Path temp;

    private final List<String> jibLog = new CopyOnWriteArrayList<>();

    @Test
    void containerize_defaultFormat_servesDockerManifestWithJibDigest() throws IOException {
        String repo = Repos.unique("jib-app");
        JibContainerBuilder image = Jib.fromScratch().addFileEntriesLayer(appLayer());

        JibContainer container = containerize(image, repo);

        HttpResponse<byte[]> served = servedManifest(BERTH.client(), repo, "1");
        assertThat(header(served, "Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(header(served, "Docker-Content-Digest"))
                .as("Jib's log: %s", jibLog)
                .isEqualTo(container.getDigest().toString());
        assertImageBlobs(repo, served, container);
    }

    @Test
    void containerize_ociFormat_servesOciManifestWithJibDigest() throws IOException {
        String repo = Repos.unique("jib-oci");
        JibContainerBuilder image = Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .addFileEntriesLayer(appLayer());

        JibContainer container = containerize(image, repo);

        HttpResponse<byte[]> served = servedManifest(BERTH.client(), repo, "1");
        assertThat(header(served, "Content-Type")).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(header(served, "Docker-Content-Digest"))
                .as("Jib's log: %s", jibLog)
                .isEqualTo(container.getDigest().toString());
        assertImageBlobs(repo, served, container);
    }

    /** A layer of two files under {@code /app}, one of them 1 MiB of random bytes. */
    private FileEntriesLayer appLayer() throws IOException {
        Path files = Files.createDirectories(temp.resolve("files"));
        Path hello = Files.writeString(files.resolve("hello.txt"), "hello from jib\n");
        Path data = Files.write(files.resolve("data.bin"), RegistryClient.randomBytes(1 << 20));
        return FileEntriesLayer.builder()
                .setName("app")
                .addEntry(hello, AbsoluteUnixPath.get("/app/hello.txt"))
                .addEntry(data, AbsoluteUnixPath.get("/app/data.bin"))
                .build();
    }

    /**
     * Pushes {@code image} as {@code <repo>:1}, with Jib's caches in the test's directory so
     * nothing is read from or left in the user's cache.
     */
    private JibContainer containerize(JibContainerBuilder image, String repo) {
        String name = "127.0.0.1:" + BERTH.process().port() + "/" + repo + ":1";
        return assertTimeoutPreemptively(TIMEOUT, () -> image.containerize(
                Containerizer.to(RegistryImage.named(name))
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(temp.resolve("jib-cache/base"))
                        .setApplicationLayersCache(temp.resolve("jib-cache/application"))
                        .setToolName("berth-it-tests")
                        .addEventHandler(LogEvent.class, this::keep)),
                () -> "Jib did not push within " + TIMEOUT.toMinutes() + " min; its log: "
                        + jibLog);
    }

    private void keep(LogEvent event) {
        jibLog.add(event.getLevel() + " " + event.getMessage());
    }

    /** The config is the image ID Jib reports, and every blob the manifest names is served. */
    private static void assertImageBlobs(String repo, HttpResponse<byte[]> served,
            JibContainer container) {
        JsonNode config = json(served).path("config");
        assertThat(config.path("digest").asText()).isEqualTo(container.getImageId().toString());
        assertBlobPresent(BERTH.client(), repo, new Descriptor(config.path("mediaType").asText(),
                config.path("digest").asText(), config.path("size").asLong()));
        List<Descriptor> layers = ClientChecks.layers(served);
        assertThat(layers).hasSize(1);
        assertBlobPresent(BERTH.client(), repo, layers.get(0));
    }
}
