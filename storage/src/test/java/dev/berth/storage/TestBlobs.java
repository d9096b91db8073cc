package dev.berth.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.berth.core.Digest;

/** Blob files put in place by hand, where a finished upload would have moved them. */
final class TestBlobs {
    private TestBlobs() {
    }

    static Digest write(Path data, byte[] content) {
        Digest digest = Digest.sha256(content);
        Path file = path(data, digest);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest;
    }

    static Path path(Path data, Digest digest) {
        return data.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex());
    }
}
