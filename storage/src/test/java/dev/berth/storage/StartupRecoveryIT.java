package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import dev.berth.core.Digest;
import dev.berth.core.RepositoryName;

/** Start-up recovery, each inconsistency planted by hand while the storage is closed. */
class StartupRecoveryIT {
    private static final Duration TIMEOUT = GcFixture.TIMEOUT;
    private static final String REPO = "team/app";
    private static final String UPLOAD = "0b6f1b7e-4c64-4a53-9f59-0a4d3c2b1a00";

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
    void open_pendingBlobDeletion_deletesFileAndClearsRow() {
        Digest doomed = Digest.sha256("doomed");

        registry.restart(() -> {
            TestBlobs.write(data, bytes("doomed"));
            registry.sql("INSERT INTO blob_deletions (digest, started_at) VALUES ('" + doomed + "', 1)");
        });

        assertThat(registry.fileExists(doomed)).isFalse();
        assertThat(registry.count("SELECT COUNT(*) FROM blob_deletions")).isZero();
    }

    @Test
    void open_uploadFileWithoutSession_deletesFile() {
        Path orphan = data.resolve("uploads").resolve(UPLOAD);

        registry.restart(() -> write(orphan, "half an upload"));

        assertThat(orphan).doesNotExist();
    }

    @Test
    void open_uploadSessionWithoutFile_deletesRow() {
        registry.restart(() -> registry.sql("INSERT INTO uploads (id, repository, started_at, touched_at)"
                + " VALUES ('" + UPLOAD + "', '" + REPO + "', 1, 1)"));

        registry.metadata().findUpload(UPLOAD).as(StepVerifier::create).verifyComplete();
    }

    @Test
    void open_strayTempFiles_deletesThemAndKeepsBlobs() {
        Digest kept = registry.blob(REPO, "kept");
        Path blobTemp = TestBlobs.path(data, kept).resolveSibling("partial.tmp");
        Path uploadTemp = data.resolve("uploads").resolve("copy.tmp");

        registry.restart(() -> {
            write(blobTemp, "partial");
            write(uploadTemp, "copy");
        });

        assertThat(blobTemp).doesNotExist();
        assertThat(uploadTemp).doesNotExist();
        assertThat(registry.fileExists(kept)).isTrue();
        assertThat(registry.linked(REPO, kept)).isTrue();
    }

    @Test
    void open_blobFileWithoutRow_deletesFile() {
        Digest unlinked = Digest.sha256("moved but never linked");

        registry.restart(() -> TestBlobs.write(data, bytes("moved but never linked")));

        assertThat(registry.fileExists(unlinked)).isFalse();
    }

    @Test
    void open_blobRowWithoutFile_deletesRowAndLinksSoClientsPushAgain() {
        ManifestRecord image = registry.image(REPO, "v1", "config-lost", "layer-lost");
        Digest lost = Digest.sha256("layer-lost");

        registry.restart(() -> delete(TestBlobs.path(data, lost)));

        assertThat(registry.linked(REPO, lost)).isFalse();
        registry.metadata().findBlobSizeAnywhere(lost).as(StepVerifier::create).verifyComplete();
        assertThat(registry.manifestExists(REPO, image.digest())).isTrue();
        assertThat(registry.linked(REPO, Digest.sha256("config-lost"))).isTrue();
        registry.blob(REPO, "layer-lost");
        assertThat(registry.linked(REPO, lost)).isTrue();
    }

    @Test
    void open_consistentData_keepsEverything() {
        ManifestRecord image = registry.image(REPO, "v1", "config-ok", "layer-ok");
        registry.storage.blobs().createUpload(UPLOAD)
                .then(registry.metadata().createUpload(new UploadSession(UPLOAD, RepositoryName.of(REPO),
                        registry.clock.instant(), registry.clock.instant())))
                .block(TIMEOUT);

        registry.reopen();

        assertThat(registry.manifestExists(REPO, image.digest())).isTrue();
        assertThat(registry.fileExists(Digest.sha256("layer-ok"))).isTrue();
        assertThat(registry.linked(REPO, Digest.sha256("layer-ok"))).isTrue();
        registry.metadata().findUpload(UPLOAD).as(StepVerifier::create).expectNextCount(1).verifyComplete();
        registry.storage.blobs().uploadSize(UPLOAD).as(StepVerifier::create).expectNext(0L).verifyComplete();
    }

    @Test
    void open_whileAnotherStorageHoldsTheDirectory_skipsRecovery() {
        Path orphan = data.resolve("uploads").resolve(UPLOAD);
        write(orphan, "left alone while the directory is in use");

        Storage second = Storage.open(data, Storage.Settings.defaults(), registry.clock).block(TIMEOUT);
        second.close().block(TIMEOUT);

        assertThat(orphan).exists();
        registry.reopen();
        assertThat(orphan).doesNotExist();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
