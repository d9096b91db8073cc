package dev.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * Deterministic bytes of any length, produced on the fly so a test can push a blob far larger
 * than its own heap. Each 64 KiB block is a fixed random block with the block number stamped into
 * its first bytes, so no two blocks are alike and a reordering or a lost chunk changes the digest.
 */
final class GeneratedContent {
    private static final int BLOCK = 64 * 1024;

    private final long length;
    private final byte[] pattern;

    GeneratedContent(long length, long seed) {
        this.length = length;
        this.pattern = new byte[BLOCK];
        new Random(seed).nextBytes(pattern);
    }

    long length() {
        return length;
    }

    /** A stream of the bytes from {@code offset} (inclusive) to {@code end} (exclusive). */
    InputStream stream(long offset, long end) {
        return new InputStream() {
            private long position = offset;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int off, int len) {
                if (position >= end) {
                    return -1;
                }
                int count = (int) Math.min(len, end - position);
                fill(position, buffer, off, count);
                position += count;
                return count;
            }
        };
    }

    /** The {@code sha256:<hex>} digest of all the bytes. */
    String digest() {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            try (InputStream in = stream(0, length)) {
                int read;
                while ((read = in.read(buffer, 0, buffer.length)) > 0) {
                    sha256.update(buffer, 0, read);
                }
            }
            return "sha256:" + HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void fill(long position, byte[] buffer, int offset, int count) {
        int written = 0;
        while (written < count) {
            long at = position + written;
            int inBlock = (int) (at % BLOCK);
            int run = Math.min(count - written, BLOCK - inBlock);
            System.arraycopy(pattern, inBlock, buffer, offset + written, run);
            long block = at / BLOCK;
            // Stamp the block number over the first 8 bytes of each block.
            for (int i = inBlock; i < 8 && i < inBlock + run; i++) {
                buffer[offset + written + (i - inBlock)] = (byte) (block >>> (8 * i));
            }
            written += run;
        }
    }
}
