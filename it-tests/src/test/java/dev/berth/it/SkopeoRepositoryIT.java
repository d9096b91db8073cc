package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.ClientChecks.ACCEPT_MANIFESTS;
import static dev.berth.it.ClientChecks.servedManifest;
import static dev.berth.it.ClientChecks.tagList;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.it.ClientBinary.ClientResult;
import dev.berth.it.OciLayoutWriter.Image;

/** skopeo's repository commands against Berth: {@code sync}, {@code list-tags}, {@code delete}. */
class SkopeoRepositoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    @TempDir
    Path temp;

    private ClientSandbox clients;

    @BeforeEach
    void createSandbox() {
        clients = ClientSandbox.create(temp, BERTH.process(), ClientBinary.SKOPEO);
    }

    @Test
    void sync_repositoryToAnotherPath_copiesEveryTagUnchanged() {
        OciLayoutWriter layout = OciLayoutWriter.create(temp.resolve("layout"));
        Image first = layout.writeImage("a", 4096);
        Image second = layout.writeImage("b", 8192);
        String source = Repos.unique("sync-source");
        String mirror = Repos.unique("sync-mirror");
        clients.skopeo("copy", "--dest-tls-verify=false", layout.reference("a"),
                clients.docker(source, "a"));
        clients.skopeo("copy", "--dest-tls-verify=false", layout.reference("b"),
                clients.docker(source, "b"));

        clients.skopeo("sync", "--src", "docker", "--dest", "docker", "--src-tls-verify=false",
                "--dest-tls-verify=false", clients.registry() + "/" + source,
                clients.registry() + "/" + mirror);

        // sync puts each repository under the destination path by its last path component.
        String synced = mirror + source.substring(source.lastIndexOf('/'));
        assertThat(tagList(BERTH.client(), synced)).containsExactly("a", "b");
        assertThat(header(servedManifest(BERTH.client(), synced, "a"), "Docker-Content-Digest"))
                .isEqualTo(first.manifest().digest());
        assertThat(header(servedManifest(BERTH.client(), synced, "b"), "Docker-Content-Digest"))
                .isEqualTo(second.manifest().digest());
    }

    @Test
    void listTags_threeTags_printsThemAll() throws IOException {
        String repo = Repos.unique("skopeo-tags");
        for (String tag : List.of("1.0", "1.1", "latest")) {
            BERTH.client().pushImage(repo, tag);
        }

        ClientResult result = clients.skopeo("list-tags", "--tls-verify=false",
                "docker://" + clients.registry() + "/" + repo);

        JsonNode listing = JSON.readTree(result.stdout());
        List<String> tags = new ArrayList<>();
        listing.path("Tags").forEach(tag -> tags.add(tag.asText()));
        assertThat(listing.path("Repository").asText()).isEqualTo(clients.registry() + "/" + repo);
        assertThat(tags).containsExactlyInAnyOrder("1.0", "1.1", "latest");
    }

    @Test
    void delete_taggedImage_manifestUnknownByTagAndDigest() {
        String repo = Repos.unique("skopeo-delete");
        Descriptor pushed = BERTH.client().pushImage(repo, "1");

        clients.skopeo("delete", "--tls-verify=false", clients.docker(repo, "1"));

        assertError(BERTH.client().get(manifest(repo, "1"), "Accept", ACCEPT_MANIFESTS),
                404, "MANIFEST_UNKNOWN");
        assertError(BERTH.client().get(manifest(repo, pushed.digest()), "Accept", ACCEPT_MANIFESTS),
                404, "MANIFEST_UNKNOWN");
    }
}
