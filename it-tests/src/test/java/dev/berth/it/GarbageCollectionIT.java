package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.tags;
import static dev.berth.it.DataDirectoryChecks.blobFile;
import static dev.berth.it.GcRuns.collect;
import static dev.berth.it.GcRuns.list;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.json;
import static dev.berth.it.Responses.stringArray;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Garbage collection asked of a running server with {@code POST /admin/gc}, with no grace and no
 * schedule: untagged manifests go with the blobs only they reference, tagged images and their
 * referrers stay, a dry run only reports, and a retention rule deletes the oldest tags.
 */
final class GarbageCollectionIT {
    /** The one repository the retention rule applies to. */
    private static final String RETAINED = "gc/retained";

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--config",
            GcConfig.immediate()
                    .retention(RETAINED, 2)
                    .write(dir.resolve("berth.yaml"))
                    .toString()));

    private final RegistryClient registry = BERTH.client();
    private final Path data = BERTH.process().data();

    @Test
    void dryRun_untaggedImageSharingBaseLayer_reportsItAndDeletesNothing() {
        SharedLayerImages images = SharedLayerImages.push(registry, Repos.unique("gc-dry"), "v1");

        JsonNode report = collect(registry, true);

        assertThat(list(report, "manifests"))
                .contains(images.repo() + "@" + images.untagged().digest())
                .doesNotContain(images.repo() + "@" + images.tagged().digest());
        assertThat(list(report, "blobs"))
                .containsAll(images.untaggedOwnDigests())
                .doesNotContain(images.base().digest(), images.taggedOwn().get(0).digest());
        assertThat(report.path("bytesFreed").asLong())
                .isGreaterThanOrEqualTo(images.untaggedOwnBytes());
        assertStatus(registry.get(manifest(images.repo(), images.untagged().digest())), 200);
        for (String digest : images.untaggedOwnDigests()) {
            assertStatus(registry.get(blob(images.repo(), digest)), 200);
            assertThat(blobFile(data, digest)).exists();
        }
    }

    @Test
    void collect_untaggedImageSharingBaseLayer_deletesItKeepsTaggedImageAndSharedLayer() {
        SharedLayerImages images = SharedLayerImages.push(registry, Repos.unique("gc-real"), "v1");
        // Read first, so a manifest cache holds it and the collection must invalidate the entry.
        assertStatus(registry.get(manifest(images.repo(), images.untagged().digest())), 200);

        JsonNode report = collect(registry, false);

        assertThat(list(report, "manifests"))
                .contains(images.repo() + "@" + images.untagged().digest());
        assertThat(list(report, "blobs")).containsAll(images.untaggedOwnDigests());
        assertThat(list(report, "links")).containsAll(images.untaggedOwnDigests().stream()
                .map(digest -> images.repo() + "@" + digest)
                .toList());
        assertError(registry.get(manifest(images.repo(), images.untagged().digest())), 404,
                "MANIFEST_UNKNOWN");
        for (String digest : images.untaggedOwnDigests()) {
            assertError(registry.get(blob(images.repo(), digest)), 404, "BLOB_UNKNOWN");
            assertThat(blobFile(data, digest)).doesNotExist();
        }
        assertStatus(registry.get(manifest(images.repo(), images.tag())), 200);
        List<Descriptor> kept = new ArrayList<>(images.taggedOwn());
        kept.add(images.base());
        for (Descriptor descriptor : kept) {
            assertStatus(registry.get(blob(images.repo(), descriptor.digest())), 200);
            assertThat(blobFile(data, descriptor.digest())).exists();
        }
    }

    @Test
    void collect_secondRunAfterFirst_findsNothing() {
        SharedLayerImages.push(registry, Repos.unique("gc-twice"), "v1");
        collect(registry, false);

        JsonNode second = collect(registry, false);

        for (String count : List.of("tagsDeleted", "manifestsDeleted", "linksRemoved",
                "blobsDeleted", "bytesFreed")) {
            assertThat(second.path(count).asLong(-1)).as(count + " in " + second).isZero();
        }
        for (String items : List.of("tags", "manifests", "links", "blobs")) {
            assertThat(list(second, items)).as(items).isEmpty();
        }
    }

    @Test
    void collect_referrerOfTaggedImage_keepsReferrerAndItsBlobs() {
        String repo = Repos.unique("gc-referrer");
        Descriptor subject = registry.pushImage(repo, "v1");
        Descriptor signature = Referrers.pushSignature(registry, repo, subject);

        JsonNode report = collect(registry, false);

        assertThat(list(report, "manifests")).doesNotContain(repo + "@" + signature.digest());
        HttpResponse<byte[]> kept = registry.get(manifest(repo, signature.digest()));
        assertStatus(kept, 200);
        JsonNode artifact = json(kept);
        for (JsonNode blob : List.of(artifact.path("config"), artifact.path("layers").path(0))) {
            assertStatus(registry.get(blob(repo, blob.path("digest").asText())), 200);
        }
        assertThat(Referrers.list(registry, repo, subject.digest()))
                .extracting(Referrers.Entry::digest)
                .containsExactly(signature.digest());
    }

    @Test
    void collect_afterTagDeleted_deletesImageAndItsBlobs() {
        String repo = Repos.unique("gc-untag");
        Descriptor config = registry.pushBlob(repo, MediaTypes.OCI_CONFIG, Manifests.config());
        Descriptor layer = registry.pushBlob(repo, MediaTypes.OCI_LAYER, "layer of " + repo);
        String image = registry.pushManifest(repo, "v1", MediaTypes.OCI_MANIFEST,
                Manifests.image(config, layer));
        collect(registry, false);
        assertStatus(registry.get(manifest(repo, image)), 200);
        assertStatus(registry.delete(manifest(repo, "v1")), 202);

        JsonNode report = collect(registry, false);

        assertThat(list(report, "manifests")).contains(repo + "@" + image);
        assertThat(list(report, "blobs")).contains(config.digest(), layer.digest());
        assertError(registry.get(manifest(repo, image)), 404, "MANIFEST_UNKNOWN");
        assertError(registry.get(blob(repo, layer.digest())), 404, "BLOB_UNKNOWN");
        assertThat(blobFile(data, layer.digest())).doesNotExist();
    }

    @Test
    void collect_retentionKeepNewest2Of5Tags_deletesThreeOldestTagsAndTheirImages() {
        List<Descriptor> images = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            images.add(registry.pushImage(RETAINED, "t" + i));
            assertStatus(registry.get(manifest(RETAINED, "t" + i)), 200);
        }

        JsonNode report = collect(registry, false);

        assertThat(list(report, "tags"))
                .containsExactlyInAnyOrder(RETAINED + ":t1", RETAINED + ":t2", RETAINED + ":t3");
        assertThat(stringArray(registry.get(tags(RETAINED)), "tags")).containsExactly("t4", "t5");
        for (int i = 0; i < 3; i++) {
            assertError(registry.get(manifest(RETAINED, "t" + (i + 1))), 404, "MANIFEST_UNKNOWN");
            assertError(registry.get(manifest(RETAINED, images.get(i).digest())), 404,
                    "MANIFEST_UNKNOWN");
        }
        assertStatus(registry.get(manifest(RETAINED, images.get(3).digest())), 200);
        assertStatus(registry.get(manifest(RETAINED, "t5")), 200);
    }

    @Test
    void collect_untaggedImage_reclaimedBytesMetricGrowsByBytesFreed() {
        double before = GcRuns.reclaimedBytes(registry);
        SharedLayerImages images = SharedLayerImages.push(registry, Repos.unique("gc-metric"),
                "v1");

        JsonNode report = collect(registry, false);

        long freed = report.path("bytesFreed").asLong();
        assertThat(freed).isGreaterThanOrEqualTo(images.untaggedOwnBytes());
        assertThat(GcRuns.reclaimedBytes(registry)).isEqualTo(before + freed);
    }
}
