package dev.berth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * Makes bearer tokens the way an attacker (or a test) would: with the server's own signing key
 * read from its data directory, with another key, with no signature at all, or by swapping the
 * payload of a genuine token. Claims start from {@link #claims}, which is what the server itself
 * issues, so a test changes exactly one thing.
 */
final class TokenForge {
    /** Where the server keeps its signing key, under the data directory. */
    static final String KEY_FILE = "auth/token-signing-key.pem";

    private final ECKey serverKey;

    private TokenForge(ECKey serverKey) {
        this.serverKey = serverKey;
    }

    /** A forge holding the signing key of the server whose data directory is {@code data}. */
    static TokenForge of(Path data) {
        Path file = data.resolve(KEY_FILE);
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            JWK key = JWK.parseFromPEMEncodedObjects(pem);
            return new TokenForge(key.toECKey());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JOSEException e) {
            throw new IllegalStateException(file + " is not a PEM EC key pair", e);
        }
    }

    /**
     * Claims as the server issues them, valid for five minutes from now: {@code iss} and
     * {@code aud} {@code berth}, {@code sub} {@code subject}, and an {@code access} claim
     * granting {@code actions} (comma-separated, possibly empty) on {@code repo}.
     */
    static JWTClaimsSet.Builder claims(String subject, String repo, String actions) {
        Instant now = Instant.now();
        List<String> granted = actions.isEmpty() ? List.of() : List.of(actions.split(","));
        return new JWTClaimsSet.Builder()
                .issuer("berth")
                .audience(TokenEndpoint.SERVICE)
                .subject(subject)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString())
                .claim("access", List.of(Map.of("type", "repository", "name", repo,
                        "actions", granted)));
    }

    /** {@code claims} signed with the server's own key, as the server signs. */
    String sign(JWTClaimsSet.Builder claims) {
        try {
            return sign(new ECDSASigner(serverKey), JWSAlgorithm.ES256, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code token} is an ES256 JWT whose signature the server's public key verifies. */
    boolean signedByServer(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            return JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())
                    && jwt.verify(new ECDSAVerifier(serverKey.toPublicJWK()));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }

    /** {@code claims} signed ES256 with a fresh P-256 key the server has never seen. */
    static String signWithOtherKey(JWTClaimsSet.Builder claims) {
        try {
            ECKey other = new ECKeyGenerator(Curve.P_256).generate();
            return sign(new ECDSASigner(other), JWSAlgorithm.ES256, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code claims} signed HS256 with the server's public key as the HMAC secret: the
     * algorithm confusion that fools a verifier which lets the token choose the algorithm.
     */
    String signHmacWithPublicKey(JWTClaimsSet.Builder claims) {
        try {
            // The X.509 encoding of a P-256 key is 91 bytes, long enough for HS256.
            byte[] secret = serverKey.toECPublicKey().getEncoded();
            return sign(new MACSigner(secret), JWSAlgorithm.HS256, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code claims} as an unsecured JWT: {@code "alg":"none"} and an empty signature. */
    static String unsigned(JWTClaimsSet.Builder claims) {
        return new PlainJWT(claims.build()).serialize();
    }

    /** {@code genuine} with its payload replaced by {@code claims}, its signature kept. */
    static String withPayload(String genuine, JWTClaimsSet.Builder claims) {
        String[] parts = genuine.split("\\.");
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.build().toString().getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + payload + "." + parts[2];
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm,
            JWTClaimsSet.Builder claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }
}
