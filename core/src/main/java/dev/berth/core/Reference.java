package dev.berth.core;

import java.util.regex.Pattern;

/**
 * What follows {@code /manifests/} in a request: either a tag or a digest.
 *
 * @param tag the tag, or {@code null} when this reference is a digest
 * @param digest the digest, or {@code null} when this reference is a tag
 */
public record Reference(String tag, Digest digest) {
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Reference {
        if ((tag == null) == (digest == null)) {
            throw new IllegalArgumentException("reference: exactly one of tag and digest (tag: "
                    + tag + ", digest: " + digest + ")");
        }
    }

    /**
     * Parses a tag or a digest.
     *
     * @throws RegistryException {@link ErrorCode#MANIFEST_INVALID} for a malformed tag, or
     *         {@link ErrorCode#DIGEST_INVALID} for a malformed digest
     */
    public static Reference parse(String text) {
        if (text != null && Digest.looksLikeDigest(text)) {
            return new Reference(null, Digest.parse(text));
        }
        return ofTag(text);
    }

    /** A tag reference, validated against the spec's tag grammar. */
    public static Reference ofTag(String tag) {
        if (!isValidTag(tag)) {
            throw ErrorCode.MANIFEST_INVALID.exception("tag: " + tag + " (expected: " + TAG.pattern() + ")");
        }
        return new Reference(tag, null);
    }

    public static Reference of(Digest digest) {
        return new Reference(null, digest);
    }

    /**
     * Whether {@code tag} matches the spec's tag grammar,
     * {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. Checked by hand rather than by the pattern
     * because every request by tag pays for it; {@code ReferenceTest} holds the two to the same
     * answers.
     */
    public static boolean isValidTag(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > 128) {
            return false;
        }
        char first = tag.charAt(0);
        if (!isAlnum(first) && first != '_') {
            return false;
        }
        for (int i = 1; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (!isAlnum(c) && c != '_' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** The tag pattern, for tests that compare it with {@link #isValidTag}. */
    static Pattern tagPattern() {
        return TAG;
    }

    public boolean isDigest() {
        return digest != null;
    }

    @Override
    public String toString() {
        return isDigest() ? digest.toString() : tag;
    }
}
