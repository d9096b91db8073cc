package dev.berth.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A container client installed on the machine ({@code skopeo}, {@code podman}, {@code buildah}),
 * run as a child process with a timeout and its output captured.
 *
 * <p>{@link #requireInstalled} is the one place that decides what a missing client means: on a
 * developer machine its tests are skipped with a hint on how to install it; when the
 * environment variable {@code CI} is {@code true} they fail, so a CI run can never pass by
 * skipping the real clients.
 */
final class ClientBinary {
    static final ClientBinary SKOPEO = new ClientBinary("skopeo");
    static final ClientBinary PODMAN = new ClientBinary("podman");
    static final ClientBinary BUILDAH = new ClientBinary("buildah");

    /** How long one client command may take before it is killed and the test fails. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private final String name;

    private ClientBinary(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /**
     * The client's executable on the {@code PATH}. When there is none, skips the calling test
     * (its Debian package has the same name as the binary), or fails it when {@code CI=true}.
     */
    Path requireInstalled() {
        Optional<Path> executable = locate();
        if (executable.isPresent()) {
            return executable.get();
        }
        String message = name + " is not on the PATH; install it with: apt-get install " + name;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return fail(message + " (CI=true: a missing client fails instead of skipping)");
        }
        return Assumptions.abort(message);
    }

    /**
     * Runs the client with {@code arguments}, in {@code workDir}, with {@code environment} added
     * to this JVM's environment ({@code null} values remove a variable). Stdout and stderr go to
     * files in {@code workDir}, so a chatty client can never block on a full pipe.
     *
     * @throws AssertionError when the client has not exited within {@link #TIMEOUT}; it is
     *         killed and the message carries what it printed
     */
    ClientResult run(Path workDir, Map<String, String> environment, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(requireInstalled().toString());
        command.addAll(arguments);
        try {
            Path stdout = Files.createTempFile(workDir, name + "-", ".out");
            Path stderr = Files.createTempFile(workDir, name + "-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            environment.forEach((key, value) -> setVariable(builder.environment(), key, value));
            Process process = builder.start();

            boolean exited = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!exited) {
                kill(process);
            }

            ClientResult result = new ClientResult(command, exited ? process.exitValue() : -1,
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
            if (!exited) {
                throw new AssertionError(name + " did not finish within " + TIMEOUT.toMinutes()
                        + " min and was killed; " + result.describe());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private Optional<Path> locate() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void setVariable(Map<String, String> environment, String key, String value) {
        if (value == null) {
            environment.remove(key);
        } else {
            environment.put(key, value);
        }
    }

    private static void kill(Process process) throws InterruptedException {
        // Children first: a killed parent would leave them to init, still holding the storage.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(KILL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** What one client command did. */
    record ClientResult(List<String> command, int exitCode, String stdout, String stderr) {

        /** Whether the client logged that it retried a failed request, which hides a failure. */
        boolean retried() {
            return stderr.toLowerCase(Locale.ROOT).contains("retrying in");
        }

        /** The last line of stdout, where podman and buildah print the ID they made or used. */
        String lastLine() {
            String[] lines = stdout.strip().split("\\R");
            return lines[lines.length - 1].strip();
        }

        /** The command, its exit code and everything it printed, for failure messages. */
        String describe() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode
                    + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
