package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The other commands of the packaged {@code berth.jar}, run as an operator runs them:
 * {@code berth passwd} to hash a password for an htpasswd file or the configuration,
 * {@code berth token ...} to manage CI access tokens on a data directory, and {@code berth gc}
 * to collect garbage in a data directory no server is using.
 */
final class BerthCli {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    private BerthCli() {
    }

    /**
     * The bcrypt hash {@code berth passwd} prints for {@code password}, given as the first line of
     * its standard input. Hashes are kept for the life of the test JVM, one per password, since
     * each costs a JVM start.
     */
    static String passwd(String password) {
        return HASHES.computeIfAbsent(password, BerthCli::hash);
    }

    /** Runs {@code berth token <arguments> --data <data>} and returns what it did. */
    static Result token(Path data, String... arguments) {
        List<String> command = new ArrayList<>(List.of("token"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--data", data.toAbsolutePath().toString()));
        return run(command, "");
    }

    /**
     * Runs {@code berth gc [flags] --config <config> --data <data>}, flags such as
     * {@code --dry-run}, and returns what it did; its report is the JSON on stdout.
     */
    static Result gc(Path data, Path config, String... flags) {
        List<String> command = new ArrayList<>(List.of("gc"));
        command.addAll(List.of(flags));
        command.addAll(List.of("--config", config.toAbsolutePath().toString(),
                "--data", data.toAbsolutePath().toString()));
        return run(command, "");
    }

    /**
     * Runs {@code java -jar berth.jar <arguments>} with {@code input} as its standard input and
     * waits for it, at most 60 seconds.
     */
    static Result run(List<String> arguments, String input) {
        List<String> command = new ArrayList<>(List.of(BerthProcess.java().toString(), "-Xmx128m",
                "-jar", BerthProcess.jar().toString()));
        command.addAll(arguments);
        try {
            Path dir = Files.createTempDirectory("berth-cli-");
            try {
                return run(command, input, dir);
            } finally {
                BerthExtension.deleteRecursively(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static Result run(List<String> command, String input, Path dir)
            throws IOException, InterruptedException {
        // Files rather than pipes: the streams can never fill up and block the command.
        Path stdin = Files.writeString(dir.resolve("stdin"), input, StandardCharsets.UTF_8);
        File stdout = dir.resolve("stdout").toFile();
        File stderr = dir.resolve("stderr").toFile();
        Process process = new ProcessBuilder(command)
                .redirectInput(stdin.toFile())
                .redirectOutput(stdout)
                .redirectError(stderr)
                .start();

        boolean exited = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        Result result = new Result(command, exited ? process.exitValue() : -1,
                Files.readString(stdout.toPath(), StandardCharsets.UTF_8),
                Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
        if (!exited) {
            throw new AssertionError("berth did not finish within " + TIMEOUT.toSeconds()
                    + " s and was killed; " + result.describe());
        }
        return result;
    }

    private static String hash(String password) {
        Result result = run(List.of("passwd"), password + "\n");

        assertThat(result.exitCode())
                .as(() -> "berth passwd failed; " + result.describe())
                .isZero();
        String hash = result.stdout().strip();
        assertThat(hash)
                .as(() -> "berth passwd output; " + result.describe())
                .matches("\\$2y\\$\\d\\d\\$[./A-Za-z0-9]{53}");
        return hash;
    }

    /** What one command did. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** The lines of stdout, without blank ones. */
        List<String> stdoutLines() {
            return stdout.lines()
                    .filter(line -> !line.isBlank())
                    .toList();
        }

        /** The command, its exit code and everything it printed, for failure messages. */
        String describe() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode
                    + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
