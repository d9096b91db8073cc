package dev.berth.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A program the harness drives, looked up on the {@code PATH} and in {@code /usr/sbin} (where
 * Debian puts nginx, which is not on the {@code PATH} of every user).
 */
enum Binary {
    WRK("wrk", "wrk"),
    DISTRIBUTION("docker-registry", "docker-registry"),
    NGINX("nginx", "nginx-light");

    private final String command;
    private final String debianPackage;

    Binary(String command, String debianPackage) {
        this.command = command;
        this.debianPackage = debianPackage;
    }

    /** The executable, when one is installed. */
    Optional<Path> locate() {
        List<String> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(File.pathSeparator)));
        }
        directories.add("/usr/sbin");
        for (String directory : directories) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(directory, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The executable; fails with an install hint when there is none. */
    Path require() {
        return locate().orElseThrow(() -> new IllegalStateException(missing()));
    }

    /** What to tell someone on whose machine the program is missing. */
    String missing() {
        return command + " is not installed; install it with: apt-get install " + debianPackage;
    }
}
