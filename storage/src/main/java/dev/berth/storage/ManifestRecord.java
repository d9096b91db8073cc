package dev.berth.storage;

import dev.berth.core.Digest;

/**
 * A stored manifest: its digest, media type and the bytes exactly as they were pushed.
 *
 * @param digest the digest of {@code content}
 * @param mediaType the media type the manifest was stored with
 * @param content the manifest bytes; never modified after construction
 */
public record ManifestRecord(Digest digest, String mediaType, byte[] content) {
    /** The size of the manifest in bytes. */
    public int size() {
        return content.length;
    }
}
