package dev.berth.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.berth.storage.GcReport;
import dev.berth.storage.GcSettings;
import dev.berth.storage.RetentionRule;

/**
 * Garbage collection settings from the {@code gc:} and {@code uploads:} sections of the
 * configuration, and the JSON form of a run's report (for {@code POST /admin/gc} and
 * {@code berth gc}).
 */
final class GcSetup {
    /** How often the server collects garbage unless {@code gc.interval} says otherwise. */
    static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);
    /** How long an upload may sit idle unless {@code uploads.expireAfter} says otherwise. */
    static final Duration DEFAULT_UPLOAD_IDLE = Duration.ofHours(24);

    private static final ObjectMapper JSON = new ObjectMapper();

    private GcSetup() {
    }

    static GcSettings settings(ConfigFile.Gc gc) {
        GcSettings defaults = GcSettings.defaults();
        Duration manifestGrace = gc.manifestGrace() == null ? defaults.manifestGrace()
                : ServerConfig.duration(gc.manifestGrace(), "gc.manifestGrace");
        Duration blobGrace = gc.blobGrace() == null ? defaults.blobGrace()
                : ServerConfig.duration(gc.blobGrace(), "gc.blobGrace");
        boolean keepOrphans = gc.keepOrphanReferrers() == null ? defaults.keepOrphanReferrers()
                : gc.keepOrphanReferrers();
        List<RetentionRule> rules = new ArrayList<>();
        for (ConfigFile.Retention rule : gc.retention() == null ? List.<ConfigFile.Retention>of() : gc.retention()) {
            rules.add(new RetentionRule(rule.repositories(), rule.keepNewest(), rule.keepTags(),
                    rule.deleteOlderThan() == null ? null
                            : ServerConfig.duration(rule.deleteOlderThan(), "gc.retention.deleteOlderThan")));
        }
        return new GcSettings(manifestGrace, blobGrace, keepOrphans, rules);
    }

    /** The schedule; {@link Duration#ZERO} turns it off. */
    static Duration interval(ConfigFile.Gc gc) {
        return gc.interval() == null ? DEFAULT_INTERVAL : ServerConfig.duration(gc.interval(), "gc.interval");
    }

    static Duration uploadIdle(ConfigFile.Uploads uploads) {
        if (uploads.expireAfter() == null) {
            return DEFAULT_UPLOAD_IDLE;
        }
        Duration idle = ServerConfig.duration(uploads.expireAfter(), "uploads.expireAfter");
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("uploads.expireAfter: " + uploads.expireAfter()
                    + " (expected: a positive duration such as 24h)");
        }
        return idle;
    }

    static String json(GcReport report) {
        ObjectNode root = JSON.createObjectNode()
                .put("dryRun", report.dryRun())
                .put("tagsDeleted", report.tagsDeleted())
                .put("manifestsDeleted", report.manifestsDeleted())
                .put("linksRemoved", report.linksRemoved())
                .put("blobsDeleted", report.blobsDeleted())
                .put("bytesFreed", report.bytesFreed())
                .put("ms", report.duration().toMillis());
        strings(root.putArray("tags"), report.tags());
        strings(root.putArray("manifests"), report.manifests());
        strings(root.putArray("links"), report.links());
        strings(root.putArray("blobs"), report.blobs().stream().map(Object::toString).toList());
        return root.toPrettyString();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
