package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import dev.berth.core.Digest;
import dev.berth.core.MediaType;
import dev.berth.core.RepositoryName;

/** Retention rules applied by a garbage collection run, then the sweep of what they untagged. */
class RetentionIT {
    private static final Duration TIMEOUT = GcFixture.TIMEOUT;
    private static final String REPO = "ci/builds";

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
    void run_keepNewest_deletesOlderTagsAndTheirManifests() {
        List<ManifestRecord> builds = pushDaily(REPO, 4);
        GcSettings settings = GcSettings.defaults().withRetention(List.of(new RetentionRule("ci/*", 2, null, null)));

        GcReport report = registry.collect(settings);

        assertThat(report.tags()).containsExactlyInAnyOrder(REPO + ":b0", REPO + ":b1");
        assertThat(report.manifests()).containsExactlyInAnyOrder(REPO + "@" + builds.get(0).digest(),
                REPO + "@" + builds.get(1).digest());
        assertThat(registry.fileExists(Digest.sha256("layer-b0"))).isFalse();
        assertThat(tags(REPO)).containsExactly("b2", "b3");
    }

    @Test
    void run_keepTagsAndDeleteOlderThan_protectsMatchingTags() {
        pushDaily(REPO, 3);
        registry.put(REPO, "release-1", GcFixture.imageJson("config-b0", "layer-b0"),
                MediaType.OCI_MANIFEST);
        registry.clock.advance(Duration.ofDays(10));
        RetentionRule rule = new RetentionRule("**", null, "release-.*", Duration.ofDays(7));

        GcReport report = registry.collect(GcSettings.defaults().withRetention(List.of(rule)));

        assertThat(report.tagsDeleted()).isEqualTo(3);
        assertThat(tags(REPO)).containsExactly("release-1");
        assertThat(registry.fileExists(Digest.sha256("layer-b0"))).isTrue();
        assertThat(registry.fileExists(Digest.sha256("layer-b1"))).isFalse();
    }

    @Test
    void run_ruleForOtherRepositories_leavesTagsAlone() {
        pushDaily(REPO, 3);
        GcSettings settings = GcSettings.defaults().withRetention(List.of(new RetentionRule("team/**", 1, null, null)));

        GcReport report = registry.collect(settings);

        assertThat(report.tagsDeleted()).isZero();
        assertThat(tags(REPO)).containsExactly("b0", "b1", "b2");
    }

    @Test
    void run_dryRunWithRetention_reportsTagsAndTheManifestsTheyFreeWithoutDeleting() {
        pushDaily(REPO, 3);
        GcSettings settings = GcSettings.defaults().withRetention(List.of(new RetentionRule("*", 1, null, null)));

        GcReport dry = registry.gc().run(settings, true).block(TIMEOUT);

        assertThat(dry.tags()).containsExactlyInAnyOrder(REPO + ":b0", REPO + ":b1");
        assertThat(dry.manifestsDeleted()).isEqualTo(2);
        assertThat(tags(REPO)).containsExactly("b0", "b1", "b2");
    }

    @Test
    void run_afterRetention_tagLookupMissesTheCache() {
        pushDaily(REPO, 2);
        registry.metadata().findTag(RepositoryName.of(REPO), "b0").block(TIMEOUT);

        registry.collect(GcSettings.defaults().withRetention(List.of(new RetentionRule("*", 1, null, null))));

        registry.metadata().findTag(RepositoryName.of(REPO), "b0").as(StepVerifier::create).verifyComplete();
    }

    @Test
    void run_retentionAfterTagsWereListed_listingDropsDeletedTags() {
        pushDaily(REPO, 3);
        assertThat(tags(REPO)).containsExactly("b0", "b1", "b2");

        registry.collect(GcSettings.defaults().withRetention(List.of(new RetentionRule("*", 1, null, null))));

        assertThat(tags(REPO)).containsExactly("b2");
    }

    /** One image a day, tagged b0 (oldest) to b<n-1>, then a day more, so all are past grace. */
    private List<ManifestRecord> pushDaily(String repository, int count) {
        List<ManifestRecord> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(registry.image(repository, "b" + i, "config-b" + i, "layer-b" + i));
            registry.clock.advance(Duration.ofDays(1));
        }
        return images;
    }

    private List<String> tags(String repository) {
        return registry.metadata().listTags(RepositoryName.of(repository), null, 100).collectList().block(TIMEOUT);
    }
}
