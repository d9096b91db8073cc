package dev.berth.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of an upload chunk: where in the blob the chunk's bytes go. The OCI
 * spec writes it as {@code <start>-<end>}; the HTTP form {@code bytes <start>-<end>/<total>} is
 * accepted too.
 *
 * @param start the offset of the chunk's first byte
 * @param end the offset of the chunk's last byte, inclusive
 */
public record ContentRange(long start, long end) {
    private static final Pattern FORM = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");

    /**
     * Parses a chunk's {@code Content-Range}.
     *
     * @throws RegistryException {@link ErrorCode#BLOB_UPLOAD_INVALID} with status 416 when
     *         malformed or backwards
     */
    public static ContentRange parse(String header) {
        Matcher matcher = FORM.matcher(header.trim());
        if (!matcher.matches()) {
            throw ErrorCode.BLOB_UPLOAD_INVALID.exception(416,
                    "Content-Range: " + header + " (expected: start-end)");
        }
        try {
            long start = Long.parseLong(matcher.group(1));
            long end = Long.parseLong(matcher.group(2));
            if (end < start) {
                throw ErrorCode.BLOB_UPLOAD_INVALID.exception(416,
                        "Content-Range: " + header + " (expected: start <= end)");
            }
            return new ContentRange(start, end);
        } catch (NumberFormatException e) {
            throw ErrorCode.BLOB_UPLOAD_INVALID.exception(416,
                    "Content-Range: " + header + " (expected: start-end)");
        }
    }

    public long length() {
        return end - start + 1;
    }
}
