package dev.berth.core;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86d0...}: an algorithm and the lowercase hex of the
 * hash. Berth accepts {@code sha256} and {@code sha512}, the two algorithms the OCI image
 * specification registers.
 *
 * @param algorithm {@code sha256} or {@code sha512}
 * @param hex the lowercase hex encoding, 64 or 128 characters
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";

    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        int expected = hexLength(algorithm);
        if (hex == null || hex.length() != expected || !isLowerHex(hex)) {
            throw ErrorCode.DIGEST_INVALID.exception("digest hex: " + hex + " (expected: "
                    + expected + " lowercase hex characters for " + algorithm + ")");
        }
    }

    /**
     * Whether {@code hex} matches {@code [a-f0-9]+}. Checked by hand rather than by the pattern
     * because manifest and blob requests by digest pay for it; {@code DigestTest} holds the two
     * to the same answers.
     */
    static boolean isLowerHex(String hex) {
        if (hex.isEmpty()) {
            return false;
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The hex pattern, for tests that compare it with {@link #isLowerHex}. */
    static Pattern hexPattern() {
        return HEX;
    }

    /**
     * Parses {@code algorithm:hex}.
     *
     * @throws RegistryException with {@link ErrorCode#DIGEST_INVALID} when malformed or when the
     *         algorithm is not supported
     */
    public static Digest parse(String text) {
        if (text == null) {
            throw ErrorCode.DIGEST_INVALID.exception("digest: null (expected: algorithm:hex)");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw ErrorCode.DIGEST_INVALID.exception("digest: " + text + " (expected: algorithm:hex)");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Whether {@code text} looks like a digest rather than a tag (tags never contain ':'). */
    public static boolean looksLikeDigest(String text) {
        return text.indexOf(':') >= 0;
    }

    /** The SHA-256 digest of {@code bytes}. */
    public static Digest sha256(byte[] bytes) {
        Digester digester = Digester.sha256();
        digester.update(bytes, 0, bytes.length);
        return digester.digest();
    }

    /** The digest of {@code bytes} with this digest's algorithm. */
    public Digest recompute(byte[] bytes) {
        Digester digester = Digester.of(algorithm);
        digester.update(bytes, 0, bytes.length);
        return digester.digest();
    }

    /** The SHA-256 digest of the UTF-8 bytes of {@code text}. */
    public static Digest sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static int hexLength(String algorithm) {
        if (SHA256.equals(algorithm)) {
            return 64;
        }
        if (SHA512.equals(algorithm)) {
            return 128;
        }
        throw ErrorCode.DIGEST_INVALID.exception("digest algorithm: " + algorithm
                + " (expected: sha256 or sha512)");
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
