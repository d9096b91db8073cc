package dev.berth.core;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An incremental digest: fed buffer by buffer as an upload streams in, so a blob of any size is
 * hashed without ever being held whole. Not thread-safe; an upload feeds it from one chain.
 */
public final class Digester {
    private final String algorithm;
    private final MessageDigest digest;
    private long bytes;

    private Digester(String algorithm, MessageDigest digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    public static Digester sha256() {
        return of(Digest.SHA256);
    }

    /** A digester for {@code sha256} or {@code sha512}. */
    public static Digester of(String algorithm) {
        Digest.hexLength(algorithm);
        String jca = Digest.SHA256.equals(algorithm) ? "SHA-256" : "SHA-512";
        try {
            return new Digester(algorithm, MessageDigest.getInstance(jca));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jca, e);
        }
    }

    public void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
        this.bytes += length;
    }

    /** Consumes the remaining bytes of {@code buffer}, leaving its position at its limit. */
    public void update(ByteBuffer buffer) {
        int length = buffer.remaining();
        digest.update(buffer);
        // Counted after, like the array form, so the count never runs ahead of the hash.
        this.bytes += length;
    }

    /** How many bytes have been fed so far. */
    public long bytes() {
        return bytes;
    }

    public String algorithm() {
        return algorithm;
    }

    /** The digest of everything fed so far; the digester must not be fed afterwards. */
    public Digest digest() {
        return new Digest(algorithm, HexFormat.of().formatHex(digest.digest()));
    }
}
