package dev.berth.server;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.berth.storage.GcReport;
import dev.berth.storage.Storage;

/**
 * {@code berth gc [--dry-run] [--config FILE] [--data DIR]}: collects garbage in a data
 * directory no server is using, with the {@code gc:} settings of the configuration file, and
 * prints the report as JSON. A dry run reports what would go and changes nothing.
 *
 * <p>While a server runs on the directory the command refuses and names the server's
 * {@code POST /admin/gc} instead: only the server can clear its own manifest cache.
 */
final class GcCommand {
    private static final Duration TIMEOUT = Duration.ofHours(6);

    private GcCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        boolean dryRun = false;
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if ("--dry-run".equals(arg)) {
                dryRun = true;
            } else {
                rest.add(arg);
            }
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(rest.toArray(String[]::new), env);
        } catch (IllegalArgumentException e) {
            err.println("berth gc: " + e.getMessage());
            return 2;
        }
        Storage storage = Storage.open(config.data(), Storage.Settings.defaults(), clock).block(TIMEOUT);
        try {
            if (!storage.ownsDataDirectory()) {
                err.println("berth gc: a server is running on " + config.data() + "; ask it instead:"
                        + " curl -X POST 'http://<host>:<port>/admin/gc" + (dryRun ? "?dryRun=true" : "") + "'");
                return 1;
            }
            GcReport report = storage.garbageCollector().run(GcSetup.settings(config.gc()), dryRun).block(TIMEOUT);
            out.println(GcSetup.json(report));
            return 0;
        } finally {
            storage.close().block(Duration.ofSeconds(30));
        }
    }
}
