package dev.berth.storage;

import java.time.Duration;
import java.util.List;

import dev.berth.core.Digest;

/**
 * What one garbage collection run deleted or, for a dry run, would delete. The counts are exact;
 * the lists hold the first {@value #LIST_LIMIT} items of each kind, in the order they were found,
 * for {@code berth gc --dry-run} to print.
 *
 * @param dryRun whether the run only computed what it would delete
 * @param tagsDeleted tags deleted by retention rules
 * @param manifestsDeleted manifests no longer reachable, deleted with their references
 * @param linksRemoved blob links removed from repositories
 * @param blobsDeleted blobs deleted with their files
 * @param bytesFreed the size of the deleted blob files (manifest rows not counted)
 * @param duration how long the run took
 * @param tags deleted tags as {@code repository:tag}
 * @param manifests deleted manifests as {@code repository@digest}
 * @param links removed links as {@code repository@digest}
 * @param blobs deleted blobs
 */
public record GcReport(boolean dryRun, int tagsDeleted, int manifestsDeleted, int linksRemoved,
        int blobsDeleted, long bytesFreed, Duration duration, List<String> tags, List<String> manifests,
        List<String> links, List<Digest> blobs) {
    /** The most items each list holds. */
    public static final int LIST_LIMIT = 1000;

    public GcReport {
        tags = List.copyOf(tags);
        manifests = List.copyOf(manifests);
        links = List.copyOf(links);
        blobs = List.copyOf(blobs);
    }
}
