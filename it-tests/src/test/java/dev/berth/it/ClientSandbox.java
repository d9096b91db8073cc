package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.berth.it.ClientBinary.ClientResult;

/**
 * A private world for the container clients of one test, in a directory of its own, so a test
 * never reads or writes the machine's container storage or configuration and no two tests see
 * each other's images. Every client is run with an environment pointing at this directory:
 *
 * <pre>
 * dir/
 *   storage.conf     vfs driver, graphroot storage/graph, runroot storage/run
 *   registries.conf  the Berth under test, insecure (plain HTTP) at 127.0.0.1 and localhost
 *   containers.conf  podman's engine: cgroupfs, events to a file, state under engine/
 *   policy.json      accept any image, whatever the machine's policy says
 *   home/ config/ data/ runtime/ tmp/   HOME, XDG_*_HOME, XDG_RUNTIME_DIR, TMPDIR
 * </pre>
 *
 * <p>Limitation: run as root, the clients keep their blob-info cache (which blob digests they
 * have seen in which repository) in {@code /var/lib/containers/cache}, which no flag or variable
 * of these client versions moves. Its entries are keyed by {@code host:port}, so the worst a
 * stale one causes is a mount attempt that fails and falls back to an upload.
 */
final class ClientSandbox {
    private static final Set<String> SIGNED_COMMANDS = Set.of("from", "pull", "push", "commit");
    private static final List<String> UNSET = List.of("REGISTRY_AUTH_FILE", "DOCKER_CONFIG",
            "CONTAINER_HOST", "CONTAINER_CONNECTION", "BUILDAH_FORMAT", "BUILDAH_ISOLATION",
            "STORAGE_DRIVER", "STORAGE_OPTS");

    private final Path dir;
    private final String registry;
    private final Map<String, String> environment;

    private ClientSandbox(Path dir, String registry, Map<String, String> environment) {
        this.dir = dir;
        this.registry = registry;
        this.environment = Collections.unmodifiableMap(environment);
    }

    /**
     * Writes the configuration for a sandbox in {@code dir} talking to {@code berth}, after
     * checking (with {@link ClientBinary#requireInstalled}) that {@code clients} are installed.
     */
    static ClientSandbox create(Path dir, BerthProcess berth, ClientBinary... clients) {
        for (ClientBinary client : clients) {
            client.requireInstalled();
        }
        try {
            return new ClientSandbox(dir, "127.0.0.1:" + berth.port(),
                    writeConfiguration(dir, berth.port()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the client configuration in " + dir, e);
        }
    }

    /** {@code 127.0.0.1:<port>}, the registry as the clients name it. */
    String registry() {
        return registry;
    }

    /** {@code 127.0.0.1:<port>/<repo>:<tag>}. */
    String image(String repo, String tag) {
        return registry + "/" + repo + ":" + tag;
    }

    /** {@code docker://127.0.0.1:<port>/<repo>:<tag>}: containers/image's registry transport. */
    String docker(String repo, String tag) {
        return "docker://" + image(repo, tag);
    }

    /** Runs {@code skopeo --policy <sandbox policy> <arguments>} and checks it succeeded. */
    ClientResult skopeo(String... arguments) {
        List<String> command = new ArrayList<>(List.of("--policy", policy()));
        command.addAll(List.of(arguments));
        return succeed(ClientBinary.SKOPEO, command);
    }

    /** Runs {@code podman <subcommand> <arguments>} and checks it succeeded. */
    ClientResult podman(String subcommand, String... arguments) {
        return succeed(ClientBinary.PODMAN, withPolicy(subcommand, arguments));
    }

    /** Runs {@code buildah <subcommand> <arguments>} and checks it succeeded. */
    ClientResult buildah(String subcommand, String... arguments) {
        return succeed(ClientBinary.BUILDAH, withPolicy(subcommand, arguments));
    }

    /** Runs {@code client} in this sandbox and returns what it did, whether it failed or not. */
    ClientResult run(ClientBinary client, List<String> arguments) {
        return client.run(dir, environment, arguments);
    }

    /**
     * Runs {@code client} and checks that it exited with 0 without retrying a request: a retry
     * that succeeds would hide a failure of the server.
     */
    ClientResult succeed(ClientBinary client, List<String> arguments) {
        ClientResult result = run(client, arguments);

        assertThat(result.exitCode())
                .as(() -> client + " failed; " + result.describe())
                .isZero();
        assertThat(result.retried())
                .as(() -> client + " retried a request; " + result.describe())
                .isFalse();
        return result;
    }

    /**
     * Runs {@code <client> login --tls-verify=false --authfile <authFile> --username <user>
     * --password-stdin <registry>} with {@code password} and a line break on standard input, as a
     * CI job pipes a secret in, and returns what it did, whether it failed or not. The password
     * goes through a file only its owner may read, in this sandbox, and never on a command line.
     *
     * @throws AssertionError when the client has not exited within {@link ClientBinary#TIMEOUT}
     */
    ClientResult login(ClientBinary client, Path authFile, String user, String password) {
        List<String> command = List.of(client.requireInstalled().toString(), "login",
                "--tls-verify=false", "--authfile", authFile.toString(), "--username", user,
                "--password-stdin", registry);
        try {
            Path input = Files.createTempFile(dir, "login-", ".in", PosixFilePermissions
                    .asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(input, password + "\n", StandardCharsets.UTF_8);
            return runWithInput(client, command, input);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /**
     * Runs {@code command} with {@code input} as standard input. {@link ClientBinary#run} always
     * gives a client {@code /dev/null}, which suits every command but a login from stdin.
     */
    private ClientResult runWithInput(ClientBinary client, List<String> command, Path input)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(dir, client.name() + "-login-", ".out");
        Path stderr = Files.createTempFile(dir, client.name() + "-login-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(input.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        environment.forEach((key, value) -> builder.environment().compute(key,
                (name, inherited) -> value));
        Process process = builder.start();

        boolean exited = process.waitFor(ClientBinary.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        ClientResult result = new ClientResult(command, exited ? process.exitValue() : -1,
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
        if (!exited) {
            throw new AssertionError(client + " did not finish within "
                    + ClientBinary.TIMEOUT.toMinutes() + " min and was killed; "
                    + result.describe());
        }
        return result;
    }

    /** Writes the configuration files and returns the environment that points at them. */
    private static Map<String, String> writeConfiguration(Path dir, int port) throws IOException {
        Map<String, String> environment = new HashMap<>();
        UNSET.forEach(name -> environment.put(name, null));
        environment.put("HOME", directory(dir, "home"));
        environment.put("XDG_CONFIG_HOME", directory(dir, "config"));
        environment.put("XDG_DATA_HOME", directory(dir, "data"));
        environment.put("XDG_RUNTIME_DIR", privateDirectory(dir.resolve("runtime")));
        environment.put("TMPDIR", directory(dir, "tmp"));
        environment.put("CONTAINERS_STORAGE_CONF", write(dir, "storage.conf", "[storage]\n"
                + "driver = \"vfs\"\n"
                + "graphroot = " + quoted(directory(dir, "storage/graph")) + "\n"
                + "runroot = " + quoted(directory(dir, "storage/run")) + "\n"));
        environment.put("CONTAINERS_REGISTRIES_CONF", write(dir, "registries.conf",
                "unqualified-search-registries = []\n"
                + insecure("127.0.0.1:" + port)
                + insecure("localhost:" + port)));
        environment.put("CONTAINERS_CONF", write(dir, "containers.conf", "[engine]\n"
                + "cgroup_manager = \"cgroupfs\"\n"
                + "events_logger = \"file\"\n"
                + "tmp_dir = " + quoted(directory(dir, "engine")) + "\n"
                + "[network]\n"
                + "network_config_dir = " + quoted(directory(dir, "engine/networks")) + "\n"));
        write(dir, "policy.json", "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}\n");
        return environment;
    }

    private List<String> withPolicy(String subcommand, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(subcommand);
        if (SIGNED_COMMANDS.contains(subcommand)) {
            command.addAll(List.of("--signature-policy", policy()));
        }
        command.addAll(List.of(arguments));
        return command;
    }

    private String policy() {
        return dir.resolve("policy.json").toString();
    }

    private static String insecure(String location) {
        return "[[registry]]\nlocation = " + quoted(location) + "\ninsecure = true\n";
    }

    private static String directory(Path dir, String relative) throws IOException {
        return Files.createDirectories(dir.resolve(relative)).toAbsolutePath().toString();
    }

    /** A directory only its owner may enter, as podman wants of {@code XDG_RUNTIME_DIR}. */
    private static String privateDirectory(Path path) throws IOException {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path.toAbsolutePath().toString();
    }

    private static String write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toAbsolutePath().toString();
    }

    /** A TOML basic string. */
    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
