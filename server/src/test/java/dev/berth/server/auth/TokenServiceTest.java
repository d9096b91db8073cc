package dev.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {
    private static final Instant NOW = Instant.parse("2026-05-06T07:08:09Z");
    private static final List<TokenGrant> PULL_APP =
            List.of(new TokenGrant("repository", "team/app", List.of("pull")));

    @TempDir
    Path dir;

    private Path keyFile;
    private TokenService tokens;

    @BeforeEach
    void setUp() {
        keyFile = dir.resolve("auth/key.pem");
        tokens = service(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void issueAccess_thenVerify_returnsSubjectAndGrants() {
        String token = tokens.issueAccess("alice", PULL_APP).token();

        TokenService.VerifiedToken verified = tokens.verifyAccess(token).orElseThrow();

        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(verified.grants()).containsExactlyElementsOf(PULL_APP);
    }

    @Test
    void open_existingKeyFile_sameKeyAfterRestart() throws Exception {
        String token = tokens.issueAccess("alice", PULL_APP).token();

        TokenService restarted = service(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));

        assertThat(restarted.verifyAccess(token)).isPresent();
        assertThat(Files.readString(keyFile)).contains("BEGIN PRIVATE KEY").contains("BEGIN PUBLIC KEY");
    }

    @Test
    void verifyAccess_expired_empty() {
        String token = tokens.issueAccess("alice", PULL_APP).token();

        TokenService later = service(Clock.fixed(NOW.plus(Duration.ofMinutes(5)), ZoneOffset.UTC));

        assertThat(later.verifyAccess(token)).isEmpty();
    }

    @Test
    void verifyAccess_signedByAnotherKey_empty() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims("alice").build());
        jwt.sign(new ECDSASigner(other));

        assertThat(tokens.verifyAccess(jwt.serialize())).isEmpty();
    }

    @Test
    void verifyAccess_noneAlgorithm_empty() {
        String unsigned = new PlainJWT(claims("alice").build()).serialize();

        assertThat(tokens.verifyAccess(unsigned)).isEmpty();
    }

    @Test
    void verifyAccess_tamperedPayload_empty() {
        String[] parts = tokens.issueAccess("alice", PULL_APP).token().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"pull\"", "\"push\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThat(tokens.verifyAccess(forged)).isEmpty();
    }

    @Test
    void verifyAccess_refreshToken_empty() {
        String refresh = tokens.issueRefresh("alice");

        assertThat(tokens.verifyAccess(refresh)).isEmpty();
        assertThat(tokens.verifyRefresh(refresh)).hasValue("alice");
    }

    @Test
    void verifyRefresh_accessToken_empty() {
        String access = tokens.issueAccess("alice", PULL_APP).token();

        assertThat(tokens.verifyRefresh(access)).isEmpty();
    }

    @Test
    void verifyAccess_otherService_empty() {
        TokenService otherService = TokenService.open(keyFile, "berth", "elsewhere", Duration.ofMinutes(5),
                Duration.ofDays(1), Clock.fixed(NOW, ZoneOffset.UTC));
        String token = otherService.issueAccess("alice", PULL_APP).token();

        assertThat(tokens.verifyAccess(token)).isEmpty();
    }

    @Test
    void verifyAccess_garbage_empty() {
        assertThat(tokens.verifyAccess("not.a.jwt")).isEmpty();
        assertThat(tokens.verifyAccess("")).isEmpty();
    }

    private TokenService service(Clock clock) {
        return TokenService.open(keyFile, "berth", "berth", Duration.ofMinutes(5), Duration.ofDays(1), clock);
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder().issuer("berth").audience("berth").subject(subject)
                .issueTime(Date.from(NOW)).notBeforeTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(300)));
    }
}
