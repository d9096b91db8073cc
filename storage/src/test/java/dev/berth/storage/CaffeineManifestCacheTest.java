package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.berth.core.Digest;
import dev.berth.core.MediaType;
import dev.berth.core.RepositoryName;

class CaffeineManifestCacheTest {
    private static final RepositoryName REPO = RepositoryName.of("team/app");
    private static final byte[] BYTES = "{}".getBytes(StandardCharsets.UTF_8);
    private static final ManifestRecord RECORD =
            new ManifestRecord(Digest.sha256(BYTES), MediaType.OCI_MANIFEST, BYTES);

    private final CaffeineManifestCache cache = new CaffeineManifestCache(1 << 20, 100);

    @Test
    void putManifest_deletedWhileReading_notCached() {
        long stamp = cache.stamp();
        cache.invalidateManifest(REPO, RECORD.digest());

        cache.putManifest(REPO, RECORD, stamp);

        assertThat(cache.manifest(REPO, RECORD.digest())).isNull();
    }

    @Test
    void putManifest_nothingInvalidated_cached() {
        long stamp = cache.stamp();

        cache.putManifest(REPO, RECORD, stamp);

        assertThat(cache.manifest(REPO, RECORD.digest())).isSameAs(RECORD);
    }

    @Test
    void putTag_tagMovedWhileReading_notCached() {
        long stamp = cache.stamp();
        cache.invalidateTag(REPO, "latest");

        cache.putTag(REPO, "latest", RECORD.digest(), stamp);

        assertThat(cache.tag(REPO, "latest")).isNull();
    }
}
