package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Retention rules on their own: which repositories a pattern names, which tags a rule deletes. */
class RetentionTest {
    private static final long NOW = 1_000_000_000L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    @Test
    void ruleFor_severalRulesMatch_firstApplies() {
        RetentionRule specific = new RetentionRule("team/app", 1, null, null);
        RetentionRule catchAll = new RetentionRule("**", 5, null, null);
        Retention retention = new Retention(List.of(specific, catchAll));

        List<String> doomed = retention.ruleFor("team/app").tagsToDelete(tags(3), NOW);

        assertThat(doomed).containsExactlyInAnyOrder("t1", "t0");
        assertThat(retention.ruleFor("other").tagsToDelete(tags(3), NOW)).isEmpty();
        assertThat(new Retention(List.of(specific)).ruleFor("other")).isNull();
    }

    @Test
    void tagsToDelete_keepNewest_deletesAllButTheNewest() {
        Retention.Compiled rule = compiled(new RetentionRule("*", 2, null, null));

        List<String> doomed = rule.tagsToDelete(tags(5), NOW);

        assertThat(doomed).containsExactlyInAnyOrder("t0", "t1", "t2");
    }

    @Test
    void tagsToDelete_sameUpdateTime_laterNameCountsAsNewer() {
        Retention.Compiled rule = compiled(new RetentionRule("*", 1, null, null));
        List<Retention.TagTime> tags = List.of(new Retention.TagTime("build-0002", NOW),
                new Retention.TagTime("build-0010", NOW), new Retention.TagTime("build-0001", NOW));

        List<String> doomed = rule.tagsToDelete(tags, NOW);

        assertThat(doomed).containsExactly("build-0002", "build-0001");
    }

    @Test
    void tagsToDelete_deleteOlderThan_deletesOnlyOldTags() {
        Retention.Compiled rule = compiled(new RetentionRule("*", null, null, Duration.ofDays(2)));

        List<String> doomed = rule.tagsToDelete(tags(5), NOW);

        assertThat(doomed).containsExactlyInAnyOrder("t0", "t1");
    }

    @Test
    void tagsToDelete_bothCriteria_deletesOnlyTagsOutsideNewestAndOld() {
        Retention.Compiled rule = compiled(new RetentionRule("*", 4, null, Duration.ofDays(1)));

        List<String> doomed = rule.tagsToDelete(tags(5), NOW);

        assertThat(doomed).containsExactly("t0");
    }

    @Test
    void tagsToDelete_keepTagsRegex_protectsAndDoesNotCount() {
        Retention.Compiled rule = compiled(new RetentionRule("*", 1, "latest|stable|t0", null));
        List<Retention.TagTime> tags = List.of(new Retention.TagTime("latest", NOW),
                new Retention.TagTime("t2", NOW - DAY), new Retention.TagTime("t1", NOW - 2 * DAY),
                new Retention.TagTime("t0", NOW - 3 * DAY), new Retention.TagTime("stable", NOW - 9 * DAY));

        List<String> doomed = rule.tagsToDelete(tags, NOW);

        assertThat(doomed).containsExactly("t1");
    }

    @Test
    void new_noCriterion_failsNamingTheRule() {
        assertThatThrownBy(() -> new RetentionRule("team/**", null, "v.*", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("team/**");
    }

    @Test
    void new_invalidRegexOrPattern_fails() {
        assertThatThrownBy(() -> new RetentionRule("*", 1, "v(", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepTagsRegex");
        assertThatThrownBy(() -> new RetentionRule("Team/App", 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repositoryPattern");
        assertThatThrownBy(() -> new RetentionRule("*", -1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepNewest");
    }

    /** Tags {@code t0} (oldest) to {@code t<n-1>} (newest), one day apart, the newest updated now. */
    private static List<Retention.TagTime> tags(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new Retention.TagTime("t" + i, NOW - (count - 1 - i) * DAY))
                .toList();
    }

    private static Retention.Compiled compiled(RetentionRule rule) {
        return new Retention(List.of(rule)).ruleFor("any/repository");
    }
}
