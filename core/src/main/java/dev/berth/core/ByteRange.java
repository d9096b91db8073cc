package dev.berth.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resolved single byte range of a blob, from an HTTP {@code Range} header.
 *
 * @param start the first byte, inclusive
 * @param end the last byte, inclusive
 */
public record ByteRange(long start, long end) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** The number of bytes covered. */
    public long length() {
        return end - start + 1;
    }

    /**
     * Resolves a {@code Range} header against a blob of {@code size} bytes.
     *
     * @return the range, or {@code null} when the whole blob should be sent: no header, a
     *         malformed one or a multi-range request (RFC 9110 lets a server ignore those)
     * @throws RegistryException {@link ErrorCode#RANGE_INVALID} when the range is well formed
     *         but no byte of it is inside the blob
     */
    public static ByteRange resolve(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher matcher = SINGLE.matcher(header.trim());
        if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            return null;
        }
        try {
            if (matcher.group(1).isEmpty()) {
                long suffix = Long.parseLong(matcher.group(2));
                if (suffix == 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(matcher.group(1));
            if (!matcher.group(2).isEmpty() && Long.parseLong(matcher.group(2)) < start) {
                return null;
            }
            if (start >= size) {
                throw unsatisfiable(header, size);
            }
            long end = matcher.group(2).isEmpty() ? size - 1 : Long.parseLong(matcher.group(2));
            return new ByteRange(start, Math.min(end, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static RegistryException unsatisfiable(String header, long size) {
        return ErrorCode.RANGE_INVALID.exception("range: " + header + " (expected: within 0-"
                + (size - 1) + ")");
    }

    /** The {@code Content-Range} header value of a 206 answer. */
    public String contentRange(long size) {
        return "bytes " + start + "-" + end + "/" + size;
    }
}
