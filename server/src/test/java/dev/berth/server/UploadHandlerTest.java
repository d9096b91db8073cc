package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.core.RepositoryName;
import dev.berth.storage.Storage;
import dev.berth.storage.UploadSession;

class UploadHandlerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path data;

    private Storage storage;

    @BeforeEach
    void open() {
        storage = Storage.open(data, Storage.Settings.defaults(), Clock.fixed(START, ZoneOffset.UTC)).block(TIMEOUT);
    }

    @AfterEach
    void close() {
        storage.close().block(TIMEOUT);
    }

    @Test
    void touch_lessThanIntervalSinceLastTouch_leavesIdleClock() {
        UploadSession session = session("u1");

        handlerAt(START.plusSeconds(59)).touch(session).block(TIMEOUT);

        assertThat(touchedAt("u1")).isEqualTo(START);
    }

    @Test
    void touch_intervalPassed_resetsIdleClock() {
        UploadSession session = session("u2");

        handlerAt(START.plusSeconds(61)).touch(session).block(TIMEOUT);

        assertThat(touchedAt("u2")).isEqualTo(START.plusSeconds(61));
    }

    @Test
    void touchInterval_shortExpiry_tenthOfItLongExpiry_oneMinute() {
        assertThat(UploadHandler.touchInterval(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
        assertThat(UploadHandler.touchInterval(Duration.ofHours(24))).isEqualTo(Duration.ofMinutes(1));
    }

    private UploadSession session(String id) {
        UploadSession session = new UploadSession(id, RepositoryName.of("team/app"), START, START);
        storage.metadata().createUpload(session).block(TIMEOUT);
        return session;
    }

    private UploadHandler handlerAt(Instant now) {
        return new UploadHandler(storage.metadata(), storage.blobs(), Clock.fixed(now, ZoneOffset.UTC),
                UploadHandler.touchInterval(Duration.ofHours(24)));
    }

    private Instant touchedAt(String id) {
        return storage.metadata().findUpload(id).block(TIMEOUT).touchedAt();
    }
}
