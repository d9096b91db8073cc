package dev.berth.storage;

import java.time.Duration;
import java.util.List;

/**
 * What one garbage collection run keeps and what it may delete.
 *
 * @param manifestGrace how long a manifest is kept after it was stored even when nothing refers
 *        to it, so a client pushing an index (whose children are pushed untagged first) or a
 *        referrer has time to finish
 * @param blobGrace how long a blob link is kept after it was written even when no manifest
 *        refers to it, and how old a blob without links must be before its bytes are deleted; it
 *        must exceed the time between a client's first blob upload and its manifest push
 * @param keepOrphanReferrers whether to keep referrers whose subject manifest is not in the
 *        repository (the spec lets a referrer be pushed before, and outlive, its subject)
 * @param retention rules that delete tags before the mark; empty to delete none
 */
public record GcSettings(Duration manifestGrace, Duration blobGrace, boolean keepOrphanReferrers,
        List<RetentionRule> retention) {
    /** The grace both kinds of content get by default. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    public GcSettings {
        requireGrace("manifestGrace", manifestGrace);
        requireGrace("blobGrace", blobGrace);
        retention = retention == null ? List.of() : List.copyOf(retention);
    }

    /** 24 hours of grace for manifests and blobs, orphan referrers kept, no retention rules. */
    public static GcSettings defaults() {
        return new GcSettings(DEFAULT_GRACE, DEFAULT_GRACE, true, List.of());
    }

    /** These settings with {@code rules} as the retention rules. */
    public GcSettings withRetention(List<RetentionRule> rules) {
        return new GcSettings(manifestGrace, blobGrace, keepOrphanReferrers, rules);
    }

    private static void requireGrace(String name, Duration grace) {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException(name + ": " + grace + " (expected: zero or more)");
        }
    }
}
