package dev.berth.it;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an image layer: a gzip-compressed tar of a directory {@code app/} holding files
 * {@code app/file-<i>.bin} of the sizes asked for, streamed straight to disk.
 *
 * <p>The file bytes come from {@link GeneratedContent}, whose 64 KiB period is longer than the
 * 32 KiB window of deflate, so gzip cannot shrink them: a 50 MiB file makes a blob of about
 * 50 MiB, which is what makes clients upload it in several chunks. Compression runs at the
 * fastest level, since there is nothing for a slower one to find.
 */
final class LayerWriter {
    private static final int BLOCK = 512;
    private static final long MTIME = 1_704_067_200L;
    private static final String DIRECTORY = "app/";

    /** The compressed layer as a blob, and the digest of the uncompressed tar (its diff ID). */
    record Layer(Descriptor blob, String diffId) {
    }

    private LayerWriter() {
    }

    /**
     * Writes the layer under {@code blobs} (a {@code blobs/sha256} directory), named by its
     * digest, with file contents derived from {@code seed}.
     */
    static Layer write(Path blobs, long seed, long... fileSizes) throws IOException {
        Path partial = Files.createTempFile(blobs, "layer-", ".partial");
        MessageDigest compressed = sha256();
        MessageDigest uncompressed = sha256();

        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
                OutputStream gzip = new FastGzip(new DigestOutputStream(file, compressed));
                OutputStream tar = new DigestOutputStream(gzip, uncompressed)) {
            tar.write(header(DIRECTORY, 0, '5', 0755));
            for (int i = 0; i < fileSizes.length; i++) {
                writeFile(tar, DIRECTORY + "file-" + i + ".bin", fileSizes[i], seed + i);
            }
            // A tar ends with two empty blocks.
            tar.write(new byte[2 * BLOCK]);
        }

        String digest = hex(compressed);
        long size = Files.size(partial);
        Files.move(partial, blobs.resolve(digest), StandardCopyOption.REPLACE_EXISTING);
        Descriptor blob = new Descriptor(MediaTypes.OCI_LAYER, "sha256:" + digest, size);
        return new Layer(blob, "sha256:" + hex(uncompressed));
    }

    private static void writeFile(OutputStream tar, String name, long size, long seed)
            throws IOException {
        tar.write(header(name, size, '0', 0644));
        try (InputStream content = new GeneratedContent(size, seed).stream(0, size)) {
            content.transferTo(tar);
        }
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        tar.write(new byte[padding]);
    }

    /** A POSIX ustar header: owner root, a fixed modification time. */
    private static byte[] header(String name, long size, char type, int mode) {
        byte[] header = new byte[BLOCK];
        text(header, 0, name);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, MTIME);
        header[156] = (byte) type;
        text(header, 257, "ustar");
        text(header, 263, "00");
        text(header, 265, "root");
        text(header, 297, "root");

        // The checksum is summed with its own field read as eight spaces.
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        return header;
    }

    private static void text(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /** {@code value} as zero-padded octal digits filling all but the last byte, then NUL. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = String.format("%0" + (length - 1) + "o", value);
        text(header, offset, digits);
        header[offset + length - 1] = 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Gzip at the fastest level, with a 64 KiB buffer. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
