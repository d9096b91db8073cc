package dev.berth.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Bytes with their {@code sha256:} digest. */
record Blob(byte[] bytes, String digest) {

    /** The blob of {@code bytes}, its digest computed. */
    static Blob of(byte[] bytes) {
        return new Blob(bytes, digest(bytes));
    }

    /** {@code size} random bytes, the same for the same {@code seed}. */
    static Blob random(int size, long seed) {
        return of(randomBytes(size, seed));
    }

    /** {@code size} random bytes, the same for the same {@code seed}. */
    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** The {@code sha256:<hex>} digest of {@code bytes}. */
    static String digest(byte[] bytes) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return "sha256:" + HexFormat.of().formatHex(sha256.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    int size() {
        return bytes.length;
    }
}
