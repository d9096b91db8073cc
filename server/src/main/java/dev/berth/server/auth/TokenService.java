package dev.berth.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and checks the registry's bearer tokens: JWTs signed with one key, ES256 by default
 * (RS256 when the configured key is RSA). The same key signs and verifies, so a token is valid
 * on every replica that shares the key file, and after a restart.
 *
 * <p>Access tokens carry the Docker token claims ({@code iss}, {@code sub}, {@code aud} = the
 * service, {@code exp}, {@code nbf}, {@code iat}, {@code jti}, {@code access}); refresh tokens
 * carry no access and are marked {@code "use":"refresh"}, so one kind is never accepted as the
 * other.
 */
public final class TokenService {
    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    private static final String USE = "use";
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final JWK key;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final String issuer;
    private final String service;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final Clock clock;

    TokenService(JWK key, String issuer, String service, Duration accessTtl, Duration refreshTtl, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.service = service;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
        try {
            if (key instanceof ECKey ec) {
                this.algorithm = JWSAlgorithm.ES256;
                this.signer = new ECDSASigner(ec);
                this.verifier = new ECDSAVerifier(ec.toECPublicKey());
            } else if (key instanceof RSAKey rsa) {
                this.algorithm = JWSAlgorithm.RS256;
                this.signer = new RSASSASigner(rsa);
                this.verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
            } else {
                throw new IllegalArgumentException("token key: " + key.getKeyType() + " (expected: EC P-256 or RSA)");
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("token key unusable: " + e.getMessage(), e);
        }
    }

    /**
     * The service using the key in {@code keyFile}; when the file does not exist it is created
     * with a new P-256 key, readable by the owner only.
     */
    public static TokenService open(Path keyFile, String issuer, String service, Duration accessTtl,
            Duration refreshTtl, Clock clock) {
        return new TokenService(loadOrCreate(keyFile), issuer, service, accessTtl, refreshTtl, clock);
    }

    public String service() {
        return service;
    }

    /** A signed access token for {@code subject} granting {@code access}. */
    public IssuedToken issueAccess(String subject, List<TokenGrant> access) {
        Instant now = clock.instant();
        List<Object> claim = new ArrayList<>();
        for (TokenGrant grant : access) {
            claim.add(Map.of("type", grant.type(), "name", grant.name(), "actions", grant.actions()));
        }
        JWTClaimsSet claims = base(subject, now, accessTtl).claim("access", claim).build();
        return new IssuedToken(sign(claims), now, accessTtl);
    }

    /** A signed refresh token for {@code subject}: it can only be exchanged for access tokens. */
    public String issueRefresh(String subject) {
        Instant now = clock.instant();
        return sign(base(subject, now, refreshTtl).claim(USE, "refresh").build());
    }

    /** The subject and grants of a valid access token, or empty for anything else. */
    public Optional<VerifiedToken> verifyAccess(String token) {
        return verified(token)
                .filter(claims -> claims.getClaim(USE) == null)
                .map(claims -> new VerifiedToken(claims.getSubject(), grants(claims)));
    }

    /** The subject of a valid refresh token, or empty for anything else. */
    public Optional<String> verifyRefresh(String token) {
        return verified(token)
                .filter(claims -> "refresh".equals(claims.getClaim(USE)))
                .map(JWTClaimsSet::getSubject);
    }

    private JWTClaimsSet.Builder base(String subject, Instant now, Duration ttl) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(service)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
    }

    private String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a token failed", e);
        }
        return jwt.serialize();
    }

    /**
     * The claims of a token this service signed and that is valid now. The algorithm is pinned
     * to the key's own, so {@code none} and algorithm-confusion tokens are refused.
     */
    private Optional<JWTClaimsSet> verified(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            boolean valid = issuer.equals(claims.getIssuer())
                    && claims.getAudience() != null && claims.getAudience().contains(service)
                    && claims.getSubject() != null
                    && claims.getExpirationTime() != null && now.isBefore(claims.getExpirationTime().toInstant())
                    && (claims.getNotBeforeTime() == null
                            || !now.plus(CLOCK_SKEW).isBefore(claims.getNotBeforeTime().toInstant()));
            return valid ? Optional.of(claims) : Optional.empty();
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<TokenGrant> grants(JWTClaimsSet claims) {
        Object access = claims.getClaim("access");
        List<TokenGrant> grants = new ArrayList<>();
        if (access instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> map && map.get("actions") instanceof List<?> actions) {
                    grants.add(new TokenGrant(String.valueOf(map.get("type")), String.valueOf(map.get("name")),
                            (List<String>) actions));
                }
            }
        }
        return grants;
    }

    private static JWK loadOrCreate(Path keyFile) {
        try {
            if (Files.exists(keyFile)) {
                JWK key = JWK.parseFromPEMEncodedObjects(Files.readString(keyFile, StandardCharsets.US_ASCII));
                LOG.info("token key loaded path={} type={} kid={}", keyFile, key.getKeyType(), key.getKeyID());
                return withKeyId(key);
            }
            ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            write(keyFile, key.toKeyPair());
            LOG.info("token key created path={} type=EC kid={}", keyFile, key.getKeyID());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("token key " + keyFile + " cannot be read or written", e);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("token key " + keyFile + " is not a PEM EC or RSA key pair: "
                    + e.getMessage(), e);
        }
    }

    private static JWK withKeyId(JWK key) throws JOSEException {
        String kid = key.computeThumbprint().toString();
        if (key instanceof ECKey ec) {
            return new ECKey.Builder(ec).keyID(kid).build();
        }
        if (key instanceof RSAKey rsa) {
            return new RSAKey.Builder(rsa).keyID(kid).build();
        }
        return key;
    }

    /** Writes the pair as PEM (PKCS#8 private key, X.509 public key) and moves it into place. */
    private static void write(Path keyFile, KeyPair pair) throws IOException {
        Files.createDirectories(keyFile.toAbsolutePath().getParent());
        Path temporary = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
        String pem = pem("PRIVATE KEY", pair.getPrivate().getEncoded())
                + pem("PUBLIC KEY", pair.getPublic().getEncoded());
        Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.warn("token key permissions not restricted, the file system has no POSIX modes path={}", keyFile);
        }
        Files.move(temporary, keyFile, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * A freshly signed access token.
     *
     * @param token the compact JWT
     * @param issuedAt when it was signed
     * @param expiresIn how long it is valid
     */
    public record IssuedToken(String token, Instant issuedAt, Duration expiresIn) {
    }

    /**
     * What a valid access token says.
     *
     * @param subject who it was issued to ({@code anonymous} for an anonymous token)
     * @param grants what it grants
     */
    public record VerifiedToken(String subject, List<TokenGrant> grants) {
    }
}
