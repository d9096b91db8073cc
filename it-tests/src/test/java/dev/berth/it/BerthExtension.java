package dev.berth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 *
 * <p>With the system property {@value #AUTH_PROPERTY} set to {@code true}, the server of
 * {@code new BerthExtension()} has authentication on, with one htpasswd user who may do
 * anything, and {@link #client} logs in as that user with Basic on every request: the same
 * assertions then hold with authentication on. {@link #withServerArgs} starts a server set up
 * by the test class itself, whatever the property says.
 */
final class BerthExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    /** Set to {@code true} to run the API tests against a server with authentication on. */
    static final String AUTH_PROPERTY = "berth.it.auth";
    /** The user {@link #client} logs in as when {@value #AUTH_PROPERTY} is {@code true}. */
    static final String AUTH_USER = "it-user";
    /** That user's password, with a colon, spaces and non-ASCII letters as real ones have. */
    static final String AUTH_PASSWORD = "it:pass wörd!";

    private final ServerSetup setup;
    private Path data;
    private Path config;
    private BerthProcess process;
    private RegistryClient client;

    /** A server with the default settings, or with authentication on: see the class comment. */
    BerthExtension() {
        this(null);
    }

    private BerthExtension(ServerSetup setup) {
        this.setup = setup;
    }

    /**
     * A server started with the arguments {@code setup} returns, such as
     * {@code --htpasswd FILE}; {@code setup} may first write the files they name into the
     * directory it is given, which is deleted with the data directory.
     */
    static BerthExtension withServerArgs(ServerSetup setup) {
        return new BerthExtension(setup);
    }

    /** Whether {@code new BerthExtension()} starts servers with authentication on. */
    static boolean authEnabled() {
        return Boolean.getBoolean(AUTH_PROPERTY);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        data = Files.createTempDirectory("berth-it-");
        config = Files.createTempDirectory("berth-it-config-");
        boolean auth = setup == null && authEnabled();
        List<String> serverArgs = List.of();
        if (setup != null) {
            serverArgs = setup.serverArgs(config);
        } else if (auth) {
            Path htpasswd = AuthConfig.htpasswd(config.resolve("htpasswd"),
                    Map.of(AUTH_USER, AUTH_PASSWORD));
            serverArgs = List.of("--htpasswd", htpasswd.toString());
        }
        process = BerthProcess.startWith(data, List.of(), serverArgs);
        RegistryClient anonymous = new RegistryClient(process.baseUri());
        client = auth ? anonymous.withBasicAuth(AUTH_USER, AUTH_PASSWORD) : anonymous;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (process != null) {
                process.close();
            }
        } finally {
            deleteRecursively(data);
            deleteRecursively(config);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (process != null) {
            System.err.printf("berth output before %s failed:%n%s%n", context.getDisplayName(),
                    process.recentOutput());
        }
    }

    /**
     * A client for the running server; with {@value #AUTH_PROPERTY} on, it logs in as
     * {@value #AUTH_USER} on every request.
     */
    RegistryClient client() {
        return client;
    }

    /** A client for the running server that sends no credentials. */
    RegistryClient anonymousClient() {
        return client.withDefaultHeaders();
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

    /** Prepares a server of {@link #withServerArgs}. */
    @FunctionalInterface
    interface ServerSetup {
        /**
         * Writes what the server needs into {@code dir} and returns the arguments to start it
         * with.
         */
        List<String> serverArgs(Path dir) throws IOException;
    }
}
