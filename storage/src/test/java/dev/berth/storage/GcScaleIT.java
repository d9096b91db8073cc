package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.core.Digest;

/**
 * A run among 10,000 manifests in 10 repositories, half of them untagged and past grace. The
 * time is printed for the record, not asserted: it depends on the machine.
 */
class GcScaleIT {
    private static final int REPOSITORIES = 10;
    private static final int PER_REPOSITORY = 1_000;

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
    void run_tenThousandManifests_deletesTheUntaggedHalf() {
        long now = registry.clock.millis();
        registry.restart(() -> plant(now - Duration.ofDays(2).toMillis()));

        GcReport dry = registry.gc().run(GcSettings.defaults(), true).block(GcFixture.TIMEOUT);
        GcReport report = registry.collect(GcSettings.defaults());

        System.out.println("gc among " + REPOSITORIES * PER_REPOSITORY + " manifests: dry run "
                + dry.duration().toMillis() + " ms, run " + report.duration().toMillis() + " ms, deleting "
                + report.manifestsDeleted() + " manifests and " + report.blobsDeleted() + " blob files");
        assertThat(dry.blobsDeleted()).isEqualTo(report.blobsDeleted());
        assertThat(report.manifestsDeleted()).isEqualTo(REPOSITORIES * PER_REPOSITORY / 2);
        assertThat(report.linksRemoved()).isEqualTo(REPOSITORIES * PER_REPOSITORY / 2);
        assertThat(report.blobsDeleted()).isEqualTo(REPOSITORIES * PER_REPOSITORY / 2);
        assertThat(registry.count("SELECT COUNT(*) FROM manifests")).isEqualTo(REPOSITORIES * PER_REPOSITORY / 2);
        assertThat(registry.count("SELECT COUNT(*) FROM blob_deletions")).isZero();
    }

    /** Rows as the server writes them, all created at {@code then}: even manifests tagged. */
    private void plant(long then) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("berth.db"))) {
            connection.setAutoCommit(false);
            for (int r = 0; r < REPOSITORIES; r++) {
                plantRepository(connection, r, then);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void plantRepository(Connection connection, int r, long then) throws SQLException {
        insert(connection, "INSERT INTO repositories (id, name, created_at) VALUES (?, ?, ?)", r + 1, "scale/r" + r,
                then);
        String config = blob(connection, r + 1, "config " + r, then);
        try (PreparedStatement manifest = connection.prepareStatement("INSERT INTO manifests (repository_id,"
                + " digest, media_type, size, content, created_at) VALUES (?, ?, 'x', 2, X'7b7d', ?)");
                PreparedStatement reference = connection.prepareStatement("INSERT INTO manifest_references"
                        + " (repository_id, manifest_digest, target_digest, kind) VALUES (?, ?, ?, 'blob')");
                PreparedStatement tag = connection.prepareStatement("INSERT INTO tags (repository_id, name, digest,"
                        + " updated_at) VALUES (?, ?, ?, ?)")) {
            for (int m = 0; m < PER_REPOSITORY; m++) {
                String digest = Digest.sha256("manifest " + r + "/" + m).toString();
                String layer = blob(connection, r + 1, "layer " + r + "/" + m, then);
                set(manifest, r + 1, digest, then).addBatch();
                set(reference, r + 1, digest, config).addBatch();
                set(reference, r + 1, digest, layer).addBatch();
                if (m % 2 == 0) {
                    set(tag, r + 1, "t" + m, digest, then).addBatch();
                }
            }
            manifest.executeBatch();
            reference.executeBatch();
            tag.executeBatch();
        }
    }

    /** A blob row, its link and its file. */
    private String blob(Connection connection, int repositoryId, String content, long then) throws SQLException {
        Digest digest = TestBlobs.write(data, content.getBytes(StandardCharsets.UTF_8));
        insert(connection, "INSERT OR IGNORE INTO blobs (digest, size, created_at) VALUES (?, ?, ?)",
                digest.toString(), content.length(), then);
        insert(connection, "INSERT INTO repository_blobs (repository_id, digest, linked_at) VALUES (?, ?, ?)",
                repositoryId, digest.toString(), then);
        return digest.toString();
    }

    private static void insert(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = set(connection.prepareStatement(sql), args)) {
            statement.executeUpdate();
        }
    }

    private static PreparedStatement set(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }
}
