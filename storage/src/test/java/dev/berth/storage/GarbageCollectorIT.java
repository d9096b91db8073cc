package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import dev.berth.core.Digest;
import dev.berth.core.ErrorCode;
import dev.berth.core.MediaType;
import dev.berth.core.RegistryException;
import dev.berth.core.RepositoryName;

/** What a garbage collection run keeps and deletes, over a real SQLite file and blob files. */
class GarbageCollectorIT {
    private static final Duration TIMEOUT = GcFixture.TIMEOUT;
    private static final Duration PAST_GRACE = Duration.ofHours(25);
    private static final String REPO = "team/app";

    @TempDir
    Path data;

    private GcFixture registry;

    @BeforeEach
    void setUp() {
        registry = new GcFixture(data);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    @Test
    void run_taggedImage_keepsManifestConfigAndLayers() {
        ManifestRecord image = registry.image(REPO, "v1", "config-1", "layer-1", "layer-2");
        registry.clock.advance(PAST_GRACE);

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.manifestsDeleted()).isZero();
        assertThat(report.blobsDeleted()).isZero();
        assertThat(registry.manifestExists(REPO, image.digest())).isTrue();
        for (String content : List.of("config-1", "layer-1", "layer-2")) {
            assertThat(registry.linked(REPO, Digest.sha256(content))).isTrue();
            assertThat(registry.fileExists(Digest.sha256(content))).isTrue();
        }
    }

    @Test
    void run_untaggedPastGrace_deletesManifestLinksAndBlobFiles() {
        ManifestRecord kept = registry.image(REPO, "v1", "config-kept", "layer-shared");
        ManifestRecord old = registry.image(REPO, "v1", "config-old", "layer-shared", "layer-old");
        registry.metadata().findManifest(RepositoryName.of(REPO), old.digest()).block(TIMEOUT);
        registry.metadata().deleteTag(RepositoryName.of(REPO), "v1").block(TIMEOUT);
        registry.image(REPO, "v2", "config-kept", "layer-shared");
        registry.clock.advance(PAST_GRACE);

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.manifestsDeleted()).isEqualTo(1);
        assertThat(report.manifests()).containsExactly(REPO + "@" + old.digest());
        assertThat(report.linksRemoved()).isEqualTo(2);
        assertThat(report.blobs()).containsExactlyInAnyOrder(Digest.sha256("config-old"), Digest.sha256("layer-old"));
        assertThat(report.bytesFreed()).isEqualTo("config-old".length() + "layer-old".length());
        assertThat(registry.manifestExists(REPO, old.digest())).isFalse();
        assertThat(registry.manifestExists(REPO, kept.digest())).isTrue();
        assertThat(registry.fileExists(Digest.sha256("layer-old"))).isFalse();
        assertThat(registry.fileExists(Digest.sha256("layer-shared"))).isTrue();
        registry.metadata().findBlobSizeAnywhere(Digest.sha256("layer-old")).as(StepVerifier::create)
                .verifyComplete();
    }

    @Test
    void run_untaggedWithinGrace_keepsManifestAndBlobs() {
        ManifestRecord young = registry.image(REPO, null, "config-young", "layer-young");
        registry.clock.advance(Duration.ofHours(23));

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.manifestsDeleted()).isZero();
        assertThat(report.linksRemoved()).isZero();
        assertThat(registry.manifestExists(REPO, young.digest())).isTrue();
        assertThat(registry.fileExists(Digest.sha256("layer-young"))).isTrue();
    }

    @Test
    void run_blobLinkedJustNowForManifestNotYetPushed_survives() {
        registry.blob(REPO, "layer-stale");
        registry.clock.advance(PAST_GRACE);
        Digest fresh = registry.blob(REPO, "layer-fresh");
        registry.clock.advance(Duration.ofSeconds(1));

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.links()).containsExactly(REPO + "@" + Digest.sha256("layer-stale"));
        assertThat(report.blobs()).containsExactly(Digest.sha256("layer-stale"));
        assertThat(registry.linked(REPO, fresh)).isTrue();
        assertThat(registry.fileExists(fresh)).isTrue();
    }

    @Test
    void run_blobLinkedAgainRecently_keepsLinkWhoseFirstLinkIsOld() {
        Digest layer = registry.blob(REPO, "layer-again");
        registry.clock.advance(PAST_GRACE);
        registry.metadata().linkBlob(RepositoryName.of(REPO), layer, "layer-again".length()).block(TIMEOUT);

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.linksRemoved()).isZero();
        assertThat(registry.linked(REPO, layer)).isTrue();
    }

    @Test
    void run_taggedIndex_keepsChildrenAndTheirBlobs() {
        ManifestRecord amd64 = registry.image(REPO, null, "config-amd64", "layer-amd64");
        ManifestRecord arm64 = registry.image(REPO, null, "config-arm64", "layer-arm64");
        ManifestRecord index = registry.index(REPO, "multi", amd64, arm64);
        registry.clock.advance(PAST_GRACE);

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.manifestsDeleted()).isZero();
        assertThat(report.linksRemoved()).isZero();
        assertThat(registry.manifestExists(REPO, index.digest())).isTrue();
        assertThat(registry.manifestExists(REPO, arm64.digest())).isTrue();
        assertThat(registry.fileExists(Digest.sha256("layer-amd64"))).isTrue();
    }

    @Test
    void run_untaggedIndexPastGrace_deletesIndexAndChildren() {
        ManifestRecord child = registry.image(REPO, null, "config-child", "layer-child");
        ManifestRecord index = registry.index(REPO, null, child);
        registry.clock.advance(PAST_GRACE);

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.manifests()).containsExactlyInAnyOrder(REPO + "@" + index.digest(),
                REPO + "@" + child.digest());
        assertThat(registry.fileExists(Digest.sha256("layer-child"))).isFalse();
    }

    @Test
    void run_referrerOfLiveSubject_keepsReferrerAndItsBlobs() {
        ManifestRecord image = registry.image(REPO, "v1", "config-signed", "layer-signed");
        ManifestRecord signature = registry.referrer(REPO, image.digest(), "signature-1");
        registry.clock.advance(PAST_GRACE);

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.manifestsDeleted()).isZero();
        assertThat(registry.manifestExists(REPO, signature.digest())).isTrue();
        assertThat(registry.fileExists(Digest.sha256("signature-1"))).isTrue();
    }

    @Test
    void run_referrerOfCollectedSubject_deletesBoth() {
        ManifestRecord image = registry.image(REPO, null, "config-gone", "layer-gone");
        ManifestRecord signature = registry.referrer(REPO, image.digest(), "signature-gone");
        registry.clock.advance(PAST_GRACE);

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.manifests()).containsExactlyInAnyOrder(REPO + "@" + image.digest(),
                REPO + "@" + signature.digest());
        assertThat(registry.fileExists(Digest.sha256("signature-gone"))).isFalse();
    }

    @Test
    void run_orphanReferrerKept_survives() {
        ManifestRecord orphan = registry.referrer(REPO, Digest.sha256("never pushed"), "signature-orphan");
        registry.clock.advance(PAST_GRACE);

        GcReport report = registry.collect(GcSettings.defaults());

        assertThat(report.manifestsDeleted()).isZero();
        assertThat(registry.manifestExists(REPO, orphan.digest())).isTrue();
        assertThat(registry.fileExists(Digest.sha256("signature-orphan"))).isTrue();
    }

    @Test
    void run_orphanReferrerNotKept_deletesIt() {
        ManifestRecord orphan = registry.referrer(REPO, Digest.sha256("never pushed"), "signature-orphan");
        registry.clock.advance(PAST_GRACE);
        GcSettings settings = new GcSettings(GcSettings.DEFAULT_GRACE, GcSettings.DEFAULT_GRACE, false, List.of());

        GcReport report = registry.collect(settings);

        assertThat(report.manifests()).containsExactly(REPO + "@" + orphan.digest());
        assertThat(registry.fileExists(Digest.sha256("signature-orphan"))).isFalse();
    }

    @Test
    void run_blobSharedByTwoRepositories_survivesUntilBothStopReferencingIt() {
        ManifestRecord first = registry.image("one/app", "v1", "config-one", "layer-common");
        ManifestRecord second = registry.image("two/app", "v1", "config-two", "layer-common");
        registry.metadata().deleteManifest(RepositoryName.of("one/app"), first.digest()).block(TIMEOUT);
        registry.clock.advance(PAST_GRACE);

        GcReport partly = registry.collect(GcSettings.defaults());

        assertThat(partly.links()).contains("one/app@" + Digest.sha256("layer-common"));
        assertThat(partly.blobs()).containsExactly(Digest.sha256("config-one"));
        assertThat(registry.fileExists(Digest.sha256("layer-common"))).isTrue();
        assertThat(registry.linked("two/app", Digest.sha256("layer-common"))).isTrue();

        registry.metadata().deleteManifest(RepositoryName.of("two/app"), second.digest()).block(TIMEOUT);
        GcReport fully = registry.collect(GcSettings.defaults());

        assertThat(fully.blobs()).containsExactlyInAnyOrder(Digest.sha256("layer-common"),
                Digest.sha256("config-two"));
        assertThat(registry.fileExists(Digest.sha256("layer-common"))).isFalse();
    }

    @Test
    void run_dryRun_changesNothingAndReportsWhatARunDeletes() {
        registry.image(REPO, "v1", "config-live", "layer-live");
        ManifestRecord dead = registry.image(REPO, null, "config-dead", "layer-dead");
        registry.image("other/app", null, "config-other", "layer-dead");
        registry.clock.advance(PAST_GRACE);

        GcReport dry = registry.gc().run(GcSettings.defaults(), true).block(TIMEOUT);

        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.manifestsDeleted()).isEqualTo(2);
        assertThat(dry.blobs()).containsExactlyInAnyOrder(Digest.sha256("config-dead"),
                Digest.sha256("layer-dead"), Digest.sha256("config-other"));
        assertThat(registry.manifestExists(REPO, dead.digest())).isTrue();
        assertThat(registry.linked("other/app", Digest.sha256("layer-dead"))).isTrue();
        assertThat(registry.fileExists(Digest.sha256("layer-dead"))).isTrue();

        GcReport real = registry.collect(GcSettings.defaults());

        assertThat(real.dryRun()).isFalse();
        assertThat(List.of(real.tagsDeleted(), real.manifestsDeleted(), real.linksRemoved(), real.blobsDeleted()))
                .isEqualTo(List.of(dry.tagsDeleted(), dry.manifestsDeleted(), dry.linksRemoved(), dry.blobsDeleted()));
        assertThat(real.bytesFreed()).isEqualTo(dry.bytesFreed());
        assertThat(real.manifests()).containsExactlyInAnyOrderElementsOf(dry.manifests());
        assertThat(registry.fileExists(Digest.sha256("layer-dead"))).isFalse();
    }

    @Test
    void putManifest_afterRunRemovedItsBlobLinks_failsManifestBlobUnknown() {
        registry.blob(REPO, "config-late");
        registry.blob(REPO, "layer-late");
        registry.clock.advance(PAST_GRACE);
        registry.collect(GcSettings.defaults());

        Throwable error = catchThrowable(() -> registry.put(REPO, "late", GcFixture.imageJson("config-late",
                "layer-late"), MediaType.OCI_MANIFEST));

        assertThat(error).isInstanceOfSatisfying(RegistryException.class,
                failure -> assertThat(failure.code()).isEqualTo(ErrorCode.MANIFEST_BLOB_UNKNOWN));
    }
}
