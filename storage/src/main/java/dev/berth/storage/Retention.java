package dev.berth.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@link RetentionRule}s compiled for one garbage collection run: which rule applies to a
 * repository, and which of its tags that rule deletes.
 */
final class Retention {
    /** Repository name characters, plus the wildcards. */
    static final Pattern VALID_PATTERN = Pattern.compile("[a-z0-9._/*-]+");

    /** Newest first: later update, then later name. */
    private static final Comparator<TagTime> NEWEST_FIRST = Comparator
            .comparingLong(TagTime::updatedAt)
            .thenComparing(TagTime::name)
            .reversed();

    private final List<Compiled> rules;

    Retention(List<RetentionRule> rules) {
        this.rules = rules.stream().map(Compiled::new).toList();
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The first rule whose pattern matches {@code repository}, or null. */
    Compiled ruleFor(String repository) {
        for (Compiled rule : rules) {
            if (rule.repositories.matcher(repository).matches()) {
                return rule;
            }
        }
        return null;
    }

    /**
     * A repository pattern as a regular expression: {@code **} spans components, {@code *} stays
     * within one, a lone {@code *} or {@code **} matches everything.
     */
    static Pattern glob(String pattern) {
        if (pattern.equals("*") || pattern.equals("**")) {
            return Pattern.compile(".*");
        }
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            if (pattern.startsWith("**", i)) {
                regex.append(".*");
                i += 2;
            } else if (pattern.charAt(i) == '*') {
                regex.append("[^/]*");
                i++;
            } else {
                int next = pattern.indexOf('*', i);
                int end = next < 0 ? pattern.length() : next;
                regex.append(Pattern.quote(pattern.substring(i, end)));
                i = end;
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** A tag and when it last moved, in epoch milliseconds. */
    record TagTime(String name, long updatedAt) {
    }

    /** One rule, its patterns compiled. */
    static final class Compiled {
        private final Pattern repositories;
        private final Pattern keep;
        private final Integer keepNewest;
        private final Duration deleteOlderThan;

        Compiled(RetentionRule rule) {
            this.repositories = glob(rule.repositoryPattern());
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
