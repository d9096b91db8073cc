package dev.berth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One Berth server for a whole test class, on a fresh data directory that is deleted afterwards.
 * Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BerthExtension BERTH = new BerthExtension();
 * }</pre>
 *
 * <p>When a test fails, the last lines the server printed go to stderr next to the failure.
 */
final class BerthExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private Path data;
    private BerthProcess process;
    private RegistryClient client;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        data = Files.createTempDirectory("berth-it-");
        process = BerthProcess.start(data);
        client = new RegistryClient(process.baseUri());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (process != null) {
                process.close();
            }
        } finally {
            deleteRecursively(data);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (process != null) {
            System.err.printf("berth output before %s failed:%n%s%n", context.getDisplayName(),
                    process.recentOutput());
        }
    }

    /** A client for the running server. */
    RegistryClient client() {
        return client;
    }

    /** The running server. */
    BerthProcess process() {
        return process;
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(BerthExtension::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
