package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.berth.core.Descriptor;
import dev.berth.core.Digest;
import dev.berth.core.MediaType;
import dev.berth.core.RepositoryName;
import dev.berth.storage.sqlite.ConnectionPool;
import dev.berth.storage.sqlite.SqliteConnectionFactory;

/**
 * Referrer lookups among 100,000 manifests: the listing must come from the subject index, not a
 * scan, and stay exact (right members, digest order, filter, pages).
 */
class ReferrersIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MANIFESTS = 100_000;
    private static final RepositoryName REPO = RepositoryName.of("fixture/big");
    private static final Digest SUBJECT = Digest.sha256("the subject");
    private static final String SIGNATURE = "application/vnd.example.signature";

    @TempDir
    static Path data;

    private static Scheduler scheduler;
    private static SqliteMetadataStore store;
    private static ConnectionPool writer;
    private static List<Digest> referrers;

    @BeforeAll
    static void fill() {
        scheduler = Schedulers.newBoundedElastic(4, 1000, "test-sqlite");
        ConnectionFactory factory = SqliteConnectionFactory.create(data.resolve("berth.db"), scheduler);
        writer = new ConnectionPool(factory, 1, TIMEOUT);
        store = new SqliteMetadataStore(writer, new ConnectionPool(factory, 2, TIMEOUT), Clock.systemUTC(),
                digest -> true);
        store.migrate().block(TIMEOUT);
        store.linkBlob(REPO, Digest.sha256("seed"), 4).block(TIMEOUT);
        referrers = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>(MANIFESTS);
        for (int i = 0; i < MANIFESTS; i++) {
            Digest digest = Digest.sha256("manifest " + i);
            boolean ours = i % 20_000 == 7;
            Digest subject = ours ? SUBJECT : Digest.sha256("other subject " + (i % 5_000));
            String type = ours && referrers.size() % 2 == 0 ? SIGNATURE : "application/vnd.example.sbom";
            if (ours) {
                referrers.add(digest);
            }
            rows.add(new Object[] {REPO.value(), digest.toString(), MediaType.OCI_MANIFEST, 100L, new byte[] {1},
                subject.toString(), type, 0L});
        }
        referrers.sort(null);
        writer.inTransaction(connection -> Sql.updateEach(connection, "INSERT INTO manifests (repository_id, digest,"
                + " media_type, size, content, subject, artifact_type, created_at)"
                + " VALUES ((SELECT id FROM repositories WHERE name = ?), ?, ?, ?, ?, ?, ?, ?)", rows))
                .blockLast(TIMEOUT);
    }

    @AfterAll
    static void close() {
        store.close().block(TIMEOUT);
        scheduler.dispose();
    }

    @Test
    void listReferrers_amongOneHundredThousand_returnsExactlyTheSubjectsInDigestOrder() {
        long started = System.nanoTime();
        List<Descriptor> found = store.listReferrers(REPO, SUBJECT, null, null, 100).collectList().block(TIMEOUT);
        long micros = (System.nanoTime() - started) / 1000;

        assertThat(found).extracting(Descriptor::digest).containsExactlyElementsOf(referrers);
        assertThat(found).allSatisfy(descriptor -> assertThat(descriptor.size()).isEqualTo(100L));
        System.out.printf("referrers lookup among %d manifests: %d us (first, cold)%n", MANIFESTS, micros);
    }

    @Test
    void listReferrers_artifactTypeFilter_onlyThatType() {
        store.listReferrers(REPO, SUBJECT, SIGNATURE, null, 100).as(StepVerifier::create)
                .recordWith(ArrayList::new)
                .thenConsumeWhile(descriptor -> true)
                .consumeRecordedWith(found -> assertThat(found)
                        .hasSize(3)
                        .allSatisfy(descriptor -> assertThat(descriptor.artifactType()).isEqualTo(SIGNATURE)))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void listReferrers_pagesWithLast_visitEachOnce() {
        List<Digest> seen = new ArrayList<>();
        Digest last = null;
        for (int page = 0; page < 10; page++) {
            List<Descriptor> found = store.listReferrers(REPO, SUBJECT, null, last, 2).collectList().block(TIMEOUT);
            if (found.isEmpty()) {
                break;
            }
            found.forEach(descriptor -> seen.add(descriptor.digest()));
            last = found.get(found.size() - 1).digest();
        }

        assertThat(seen).containsExactlyElementsOf(referrers);
    }

    @Test
    void listReferrers_queryPlan_usesSubjectIndex() {
        List<String> plan = writer.withConnection(connection -> Sql.query(connection, "EXPLAIN QUERY PLAN"
                + " SELECT digest, media_type, size, artifact_type, annotations FROM manifests"
                + " WHERE repository_id = (SELECT id FROM repositories WHERE name = ?) AND subject = ?"
                + " AND digest > ? ORDER BY digest LIMIT ?", row -> row.get(3, String.class),
                REPO.value(), SUBJECT.toString(), "", 10)).collectList().block(TIMEOUT);

        assertThat(String.join("\n", plan)).contains("manifests_by_subject").doesNotContain("SCAN manifests");
    }

    @Test
    void listReferrers_warmLookups_timedForTheRecord() {
        int lookups = 1_000;
        long started = System.nanoTime();

        Long total = Flux.range(0, lookups)
                .concatMap(i -> store.listReferrers(REPO, SUBJECT, null, null, 100).count())
                .reduce(0L, Long::sum)
                .block(TIMEOUT);

        long micros = (System.nanoTime() - started) / 1000 / lookups;
        assertThat(total).isEqualTo((long) lookups * referrers.size());
        System.out.printf("referrers lookup among %d manifests: %d us each over %d warm lookups%n",
                MANIFESTS, micros, lookups);
    }
}
