package dev.berth.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import dev.berth.core.Digest;
import dev.berth.core.ManifestParser;
import dev.berth.core.MediaType;
import dev.berth.core.RepositoryName;

/**
 * A storage over a temp directory with a clock the test moves, and pushes written the way the
 * server writes them: blob file, link, then manifest.
 */
final class GcFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

    final Path data;
    final MutableClock clock;
    Storage storage;

    GcFixture(Path data) {
        this.data = data;
        this.clock = new MutableClock(START);
        this.storage = Storage.open(data, Storage.Settings.defaults(), clock).block(TIMEOUT);
    }

    MetadataStore metadata() {
        return storage.metadata();
    }

    GarbageCollector gc() {
        return storage.garbageCollector();
    }

    /** Closes and opens the storage again, as a restart would (running start-up recovery). */
    void reopen() {
        restart(() -> { });
    }

    /** Closes the storage, runs {@code whileStopped} (a crash's leftovers, say), and opens it again. */
    void restart(Runnable whileStopped) {
        storage.close().block(TIMEOUT);
        whileStopped.run();
        storage = Storage.open(data, Storage.Settings.defaults(), clock).block(TIMEOUT);
    }

    /** Runs statements on the database file directly, as nothing in Berth would. */
    void sql(String... statements) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("berth.db"));
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of a query, run on the database file directly. */
    long count(String query) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("berth.db"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores a blob's file and links it to {@code repository}. */
    Digest blob(String repository, String content) {
        return blob(repository, content.getBytes(StandardCharsets.UTF_8));
    }

    Digest blob(String repository, byte[] content) {
        Digest digest = TestBlobs.write(data, content);
        metadata().linkBlob(RepositoryName.of(repository), digest, content.length).block(TIMEOUT);
        return digest;
    }

    boolean fileExists(Digest digest) {
        return Files.exists(TestBlobs.path(data, digest));
    }

    /** Pushes an image manifest with a config and layers of the given contents. */
    ManifestRecord image(String repository, String tag, String config, String... layers) {
        blob(repository, config);
        for (String layer : layers) {
            blob(repository, layer);
        }
        return put(repository, tag, imageJson(config, layers), MediaType.OCI_MANIFEST);
    }

    /** The JSON of an image manifest over blobs of the given contents. */
    static String imageJson(String config, String... layers) {
        String layerJson = List.of(layers).stream()
                .map(layer -> descriptor(MediaType.OCI_LAYER_TAR_GZIP, Digest.sha256(layer), layer.length()))
                .collect(Collectors.joining(","));
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"config\":"
                + descriptor(MediaType.OCI_CONFIG, Digest.sha256(config), config.length())
                + ",\"layers\":[" + layerJson + "]}";
    }

    /** Pushes an index over manifests already in the repository. */
    ManifestRecord index(String repository, String tag, ManifestRecord... children) {
        String manifests = List.of(children).stream()
                .map(child -> descriptor(child.mediaType(), child.digest(), child.size()))
                .collect(Collectors.joining(","));
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":["
                + manifests + "]}";
        return put(repository, tag, json, MediaType.OCI_INDEX);
    }

    /** Pushes an artifact (a signature, say) whose subject is {@code subject}, untagged. */
    ManifestRecord referrer(String repository, Digest subject, String payload) {
        blob(repository, EMPTY_CONFIG);
        Digest layer = blob(repository, payload);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.signature\",\"config\":"
                + descriptor(MediaType.OCI_EMPTY, Digest.sha256(EMPTY_CONFIG), 2) + ",\"layers\":["
                + descriptor(MediaType.OCI_LAYER_TAR_GZIP, layer, payload.length()) + "],\"subject\":"
                + descriptor(MediaType.OCI_MANIFEST, subject, 100) + "}";
        return put(repository, null, json, MediaType.OCI_MANIFEST);
    }

    ManifestRecord put(String repository, String tag, String json, String mediaType) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ManifestRecord record = new ManifestRecord(Digest.sha256(bytes), mediaType, bytes);
        metadata().putManifest(RepositoryName.of(repository), record, ManifestParser.parse(bytes, mediaType), tag)
                .block(TIMEOUT);
        return record;
    }

    boolean manifestExists(String repository, Digest digest) {
        return metadata().findManifest(RepositoryName.of(repository), digest).blockOptional(TIMEOUT).isPresent();
    }

    boolean linked(String repository, Digest digest) {
        return metadata().findBlobSize(RepositoryName.of(repository), digest).blockOptional(TIMEOUT).isPresent();
    }

    GcReport collect(GcSettings settings) {
        return gc().run(settings, false).block(TIMEOUT);
    }

    private static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    @Override
    public void close() {
        storage.close().block(TIMEOUT);
    }
}
