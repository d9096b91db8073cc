package dev.berth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code gc:} and {@code uploads:} sections of a YAML configuration, written as an operator
 * writes them, plus {@code auth.admins} for a file whose {@code auth:} section
 * {@link AuthConfig} wrote:
 *
 * <pre>{@code
 * GcConfig.immediate()
 *         .retention("team-a/app", 2)
 *         .write(dir.resolve("berth.yaml"));
 * }</pre>
 */
final class GcConfig {
    private final Map<String, String> gc = new LinkedHashMap<>();
    private final List<String> retention = new ArrayList<>();
    private final List<String> admins = new ArrayList<>();
    private String expireAfter;

    private GcConfig() {
    }

    /**
     * No schedule and no grace: garbage goes at the first run asked for, and only then, so a
     * test decides when collection happens.
     */
    static GcConfig immediate() {
        return new GcConfig()
                .set("interval", "0s")
                .set("manifestGrace", "0s")
                .set("blobGrace", "0s");
    }

    /** Sets a scalar of the {@code gc:} section, such as {@code interval}. */
    GcConfig set(String key, String value) {
        gc.put(key, value);
        return this;
    }

    /** Adds a retention rule keeping the {@code keepNewest} newest tags of {@code repositories}. */
    GcConfig retention(String repositories, int keepNewest) {
        retention.add("    - repositories: \"" + repositories + "\"\n"
                + "      keepNewest: " + keepNewest + "\n");
        return this;
    }

    /** Sets {@code uploads.expireAfter}, such as {@code 2s}. */
    GcConfig expireUploadsAfter(String duration) {
        expireAfter = duration;
        return this;
    }

    /** Names users or {@code group:} entries for {@code auth.admins}; see {@link #appendTo}. */
    GcConfig admins(String... who) {
        admins.addAll(List.of(who));
        return this;
    }

    /** Writes these sections to {@code file}, replacing it, and returns its path. */
    Path write(Path file) {
        if (!admins.isEmpty()) {
            throw new IllegalStateException("admins: " + admins
                    + " (expected: none; they belong in the auth: section, see appendTo)");
        }
        return write(file, yaml(), StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Appends these sections to {@code file}, which must end with the {@code auth:} section
     * {@link AuthConfig#write} wrote: {@code admins} goes into it, the rest after it.
     */
    Path appendTo(Path file) {
        String adminLine = admins.isEmpty() ? "" : admins.stream()
                .map(entry -> "\"" + entry + "\"")
                .collect(Collectors.joining(", ", "  admins: [", "]\n"));
        return write(file, adminLine + yaml(), StandardOpenOption.APPEND);
    }

    private String yaml() {
        StringBuilder yaml = new StringBuilder("gc:\n");
        gc.forEach((key, value) -> yaml.append("  ").append(key).append(": ").append(value)
                .append('\n'));
        if (!retention.isEmpty()) {
            yaml.append("  retention:\n");
            retention.forEach(yaml::append);
        }
        if (expireAfter != null) {
            yaml.append("uploads:\n  expireAfter: ").append(expireAfter).append('\n');
        }
        return yaml.toString();
    }

    private static Path write(Path file, String content, StandardOpenOption mode) {
        try {
            return Files.writeString(file, content, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
