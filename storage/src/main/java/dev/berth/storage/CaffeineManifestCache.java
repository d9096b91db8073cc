package dev.berth.storage;

import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.berth.core.Digest;
import dev.berth.core.RepositoryName;

/**
 * A {@link ManifestCache} on Caffeine: manifests weighed by their size in bytes, tags bounded by
 * count.
 */
final class CaffeineManifestCache implements ManifestCache {
    private static final int ENTRY_OVERHEAD = 200;

    private final Cache<Key, ManifestRecord> manifests;
    private final Cache<Key, Digest> tags;
    private final AtomicLong stamp = new AtomicLong();

    CaffeineManifestCache(long maxManifestBytes, long maxTags) {
        this.manifests = Caffeine.newBuilder()
                .maximumWeight(maxManifestBytes)
                .weigher((Key key, ManifestRecord record) -> record.size() + ENTRY_OVERHEAD)
                .build();
        this.tags = Caffeine.newBuilder()
                .maximumSize(maxTags)
                .build();
    }

    @Override
    public ManifestRecord manifest(RepositoryName repository, Digest digest) {
        return manifests.getIfPresent(new Key(repository, digest.toString()));
    }

    @Override
    public void putManifest(RepositoryName repository, ManifestRecord record, long readStamp) {
        putUnlessInvalidated(manifests, new Key(repository, record.digest().toString()), record, readStamp);
    }

    @Override
    public void invalidateManifest(RepositoryName repository, Digest digest) {
        stamp.incrementAndGet();
        manifests.invalidate(new Key(repository, digest.toString()));
    }

    @Override
    public Digest tag(RepositoryName repository, String tag) {
        return tags.getIfPresent(new Key(repository, tag));
    }

    @Override
    public long stamp() {
        return stamp.get();
    }

    @Override
    public void putTag(RepositoryName repository, String tag, Digest digest, long readStamp) {
        putUnlessInvalidated(tags, new Key(repository, tag), digest, readStamp);
    }

    /** Puts, then takes it back if an invalidation raced the read that produced the value. */
    private <V> void putUnlessInvalidated(Cache<Key, V> cache, Key key, V value, long readStamp) {
        cache.put(key, value);
        if (stamp.get() != readStamp) {
            cache.invalidate(key);
        }
    }

    @Override
    public void invalidateTag(RepositoryName repository, String tag) {
        stamp.incrementAndGet();
        tags.invalidate(new Key(repository, tag));
    }

    @Override
    public void invalidateTags(RepositoryName repository) {
        stamp.incrementAndGet();
        tags.asMap().keySet().removeIf(key -> key.repository().equals(repository));
    }

    private record Key(RepositoryName repository, String name) {
    }
}
