package dev.berth.storage;

import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Row;
import reactor.core.publisher.Mono;

import dev.berth.core.Digest;
import dev.berth.core.RepositoryName;

/**
 * The garbage collection of one repository, as statements on a connection inside a write
 * transaction: retention, then the mark and sweep of manifests, then the removal of dead blob
 * links. The caller owns the transaction; see {@link GarbageCollector} for what is kept.
 */
final class RepositorySweep {
    /**
     * The live manifests of repository {@code $1}: tagged ones and those stored at or after
     * {@code $2}, then everything they reach. UNION (not UNION ALL) drops digests already found,
     * so cycles end.
     */
    private static final String LIVE_HEAD = "WITH RECURSIVE live(digest) AS ("
            + " SELECT digest FROM tags WHERE repository_id = $1"
            + " UNION SELECT digest FROM manifests WHERE repository_id = $1 AND created_at >= $2";
    /** Referrers whose subject is not a manifest of the repository. */
    private static final String ORPHAN_REFERRERS = " UNION SELECT m.digest FROM manifests m"
            + " WHERE m.repository_id = $1 AND m.subject IS NOT NULL"
            + " AND NOT EXISTS (SELECT 1 FROM manifests s WHERE s.repository_id = $1"
            + " AND s.digest = m.subject)";
    /**
     * Index children and referrers of each live digest. CROSS JOIN keeps {@code live} the outer
     * loop (SQLite does not reorder it): left free, SQLite 3.5x scans every reference of the
     * repository once per live manifest.
     */
    private static final String LIVE_TAIL = " UNION SELECT r.target_digest FROM live l CROSS JOIN"
            + " manifest_references r WHERE r.repository_id = $1 AND r.manifest_digest = l.digest"
            + " AND r.kind = 'manifest'"
            + " UNION SELECT m.digest FROM live l CROSS JOIN manifests m"
            + " WHERE m.repository_id = $1 AND m.subject = l.digest)";
    private static final String SWEEP_MANIFESTS = " DELETE FROM manifests WHERE repository_id = $1"
            + " AND digest NOT IN (SELECT digest FROM live) RETURNING digest";
    /**
     * Links neither young nor referenced. Any reference counts, whatever its kind: the lookup
     * then stays within the index by target, and a blob whose digest is also a child manifest's
     * (the same bytes pushed both ways) is only kept, never lost.
     */
    private static final String SWEEP_LINKS = "DELETE FROM repository_blobs"
            + " WHERE repository_id = $1 AND linked_at < $2"
            + " AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.repository_id = $1"
            + " AND r.target_digest = repository_blobs.digest) RETURNING digest";

    private RepositorySweep() {
    }

    /** Sweeps one repository on {@code connection}, which must be inside a write transaction. */
    static Mono<Result> sweep(Connection connection, Repository repository, Plan plan) {
        long id = repository.id();
        return deleteTags(connection, repository, plan)
                .flatMap(tags -> sweepManifests(connection, id, plan)
                        .flatMap(manifests -> sweepLinks(connection, id, plan)
                                .map(links -> new Result(repository.name(), tags, manifests, links))));
    }

    private static Mono<List<String>> deleteTags(Connection connection, Repository repository,
            Plan plan) {
        Retention.Compiled rule = plan.retention().ruleFor(repository.name().value());
        if (rule == null) {
            return Mono.just(List.of());
        }
        return Sql.query(connection, "SELECT name, updated_at FROM tags WHERE repository_id = ?",
                        RepositorySweep::tagTime, repository.id())
                .collectList()
                .map(tags -> rule.tagsToDelete(tags, plan.now()))
                .flatMap(doomed -> deleteTagRows(connection, repository.id(), doomed)
                        .thenReturn(doomed));
    }

    private static Retention.TagTime tagTime(Row row) {
        return new Retention.TagTime(row.get(0, String.class), row.get(1, Long.class));
    }

    private static Mono<Long> deleteTagRows(Connection connection, long repositoryId,
            List<String> tags) {
        List<Object[]> rows = new ArrayList<>(tags.size());
        for (String tag : tags) {
            rows.add(new Object[] {repositoryId, tag});
        }
        return Sql.updateEach(connection, "DELETE FROM tags WHERE repository_id = ? AND name = ?",
                rows);
    }

    private static Mono<List<Digest>> sweepManifests(Connection connection, long repositoryId,
            Plan plan) {
        String orphans = plan.keepOrphanReferrers() ? ORPHAN_REFERRERS : "";
        String sql = LIVE_HEAD + orphans + LIVE_TAIL + SWEEP_MANIFESTS;
        return Sql.query(connection, sql, RepositorySweep::digest, repositoryId, plan.manifestCutoff())
                .collectList();
    }

    private static Mono<List<Digest>> sweepLinks(Connection connection, long repositoryId,
            Plan plan) {
        return Sql.query(connection, SWEEP_LINKS, RepositorySweep::digest, repositoryId,
                        plan.blobCutoff())
                .collectList();
    }

    private static Digest digest(Row row) {
        return Digest.parse(row.get(0, String.class));
    }

    /** A repository's row. */
    record Repository(long id, RepositoryName name) {
    }

    /**
     * What one run applies, fixed when it starts; times are epoch milliseconds.
     *
     * @param now when the run started
     * @param manifestCutoff manifests stored before this may go
     * @param blobCutoff links written and blobs created before this may go
     * @param keepOrphanReferrers whether referrers without their subject are live
     * @param retention the compiled retention rules
     */
    record Plan(long now, long manifestCutoff, long blobCutoff, boolean keepOrphanReferrers,
            Retention retention) {
    }

    /** What the sweep of one repository deleted. */
    record Result(RepositoryName repository, List<String> tags, List<Digest> manifests,
            List<Digest> links) {
        boolean changedTags() {
            return !tags.isEmpty();
        }
    }
}
