package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class AccessTokenStoreIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

    @TempDir
    Path data;

    private Storage storage;

    @BeforeEach
    void setUp() {
        storage = Storage.open(data, Storage.Settings.defaults(), Clock.systemUTC()).block(TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        storage.close().block(TIMEOUT);
    }

    @Test
    void create_thenFind_roundTripsEveryField() {
        AccessToken token = token("t1", NOW.plusSeconds(3600));

        storage.accessTokens().create(token).as(StepVerifier::create).verifyComplete();

        storage.accessTokens().find("t1").as(StepVerifier::create).expectNext(token).verifyComplete();
        storage.accessTokens().find("missing").as(StepVerifier::create).verifyComplete();
    }

    @Test
    void revoke_active_marksRevokedOnce() {
        storage.accessTokens().create(token("t2", null)).block(TIMEOUT);

        storage.accessTokens().revoke("t2", NOW).as(StepVerifier::create).expectNext(true).verifyComplete();

        storage.accessTokens().revoke("t2", NOW).as(StepVerifier::create).expectNext(false).verifyComplete();
        AccessToken revoked = storage.accessTokens().find("t2").block(TIMEOUT);
        assertThat(revoked.revokedAt()).isEqualTo(NOW);
        assertThat(revoked.isActive(NOW.plusSeconds(1))).isFalse();
    }

    @Test
    void isActive_pastExpiry_false() {
        AccessToken token = token("t3", NOW.plusSeconds(60));

        assertThat(token.isActive(NOW)).isTrue();
        assertThat(token.isActive(NOW.plusSeconds(60))).isFalse();
    }

    @Test
    void list_several_oldestFirst() {
        storage.accessTokens().create(token("b", null)).then(storage.accessTokens().create(
                new AccessToken("a", "later", List.of("*"), List.of("pull"), "00", NOW.plusSeconds(5), null, null)))
                .block(TIMEOUT);

        storage.accessTokens().list().map(AccessToken::id).collectList().as(StepVerifier::create)
                .expectNext(List.of("b", "a"))
                .verifyComplete();
    }

    private static AccessToken token(String id, Instant expiresAt) {
        return new AccessToken(id, "deploy", List.of("team-a/**", "shared/base"), List.of("pull", "push"),
                "ab".repeat(32), NOW, expiresAt, null);
    }
}
