package dev.berth.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import dev.berth.core.RepositoryPattern;

/**
 * {@link RetentionRule}s compiled for one garbage collection run: which rule applies to a
 * repository, and which of its tags that rule deletes.
 */
final class Retention {
    /** Newest first: later update, then later name. */
    private static final Comparator<TagTime> NEWEST_FIRST = Comparator
            .comparingLong(TagTime::updatedAt)
            .thenComparing(TagTime::name)
            .reversed();

    private final List<Compiled> rules;

    Retention(List<RetentionRule> rules) {
        this.rules = rules.stream().map(Compiled::new).toList();
    }

    /** The first rule whose pattern matches {@code repository}, or null. */
    Compiled ruleFor(String repository) {
        for (Compiled rule : rules) {
            if (rule.repositories.matches(repository)) {
                return rule;
            }
        }
        return null;
    }

    /** A tag and when it last moved, in epoch milliseconds. */
    record TagTime(String name, long updatedAt) {
    }

    /** One rule, its patterns compiled. */
    static final class Compiled {
        private final RepositoryPattern repositories;
        private final Pattern keep;
        private final Integer keepNewest;
        private final Duration deleteOlderThan;

        Compiled(RetentionRule rule) {
            this.repositories = RepositoryPattern.parse(rule.repositoryPattern());
            this.keep = rule.keepTagsRegex() == null ? null : Pattern.compile(rule.keepTagsRegex());
            this.keepNewest = rule.keepNewest();
            this.deleteOlderThan = rule.deleteOlderThan();
        }

        /** The tags this rule deletes out of {@code tags}, as of {@code now} (epoch ms). */
        List<String> tagsToDelete(List<TagTime> tags, long now) {
            List<TagTime> ranked = new ArrayList<>();
            for (TagTime tag : tags) {
                if (keep == null || !keep.matcher(tag.name()).matches()) {
                    ranked.add(tag);
                }
            }
            ranked.sort(NEWEST_FIRST);
            long cutoff = deleteOlderThan == null ? Long.MAX_VALUE
                    : now - deleteOlderThan.toMillis();
            List<String> doomed = new ArrayList<>();
            for (int i = 0; i < ranked.size(); i++) {
                boolean beyondNewest = keepNewest == null || i >= keepNewest;
                boolean old = ranked.get(i).updatedAt() < cutoff;
                if (beyondNewest && old) {
                    doomed.add(ranked.get(i).name());
                }
            }
            return doomed;
        }
    }
}
