package dev.berth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The files that turn authentication on, written as an operator writes them: an htpasswd file of
 * {@code name:hash} lines, or the {@code auth:} section of a YAML configuration with users,
 * groups and rules. Password hashes come from {@code berth passwd} ({@link BerthCli#passwd}).
 *
 * <pre>{@code
 * AuthConfig.create()
 *         .user("alice", "secret", "team-a")
 *         .rule(List.of("group:team-a"), List.of("team-a/**"), List.of("pull", "push"))
 *         .write(dir.resolve("berth.yaml"));
 * }</pre>
 */
final class AuthConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> users = new ArrayList<>();
    private final List<String> rules = new ArrayList<>();
    private final Map<String, String> settings = new LinkedHashMap<>();

    private AuthConfig() {
    }

    /** An empty {@code auth:} section. */
    static AuthConfig create() {
        return new AuthConfig();
    }

    /** Writes an htpasswd file of {@code users} (name to password) and returns its path. */
    static Path htpasswd(Path file, Map<String, String> users) {
        String lines = users.entrySet().stream()
                .map(user -> user.getKey() + ":" + BerthCli.passwd(user.getValue()) + "\n")
                .collect(Collectors.joining());
        return write(file, lines);
    }

    /** Adds a user with {@code password}, hashed, in {@code groups}. */
    AuthConfig user(String name, String password, String... groups) {
        users.add("    - name: " + quoted(name) + "\n"
                + "      password: " + quoted(BerthCli.passwd(password)) + "\n"
                + "      groups: " + list(List.of(groups)) + "\n");
        return this;
    }

    /** Adds a rule granting {@code actions} on {@code repositories} to {@code who}. */
    AuthConfig rule(List<String> who, List<String> repositories, List<String> actions) {
        rules.add("    - who: " + list(who) + "\n"
                + "      repositories: " + list(repositories) + "\n"
                + "      actions: " + list(actions) + "\n");
        return this;
    }

    /** Sets a scalar of the section, such as {@code tokenTtl}. */
    AuthConfig set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** Writes the configuration to {@code file}, replacing it, and returns its path. */
    Path write(Path file) {
        StringBuilder yaml = new StringBuilder("auth:\n");
        settings.forEach((key, value) -> yaml.append("  ").append(key).append(": ")
                .append(quoted(value)).append('\n'));
        if (!users.isEmpty()) {
            yaml.append("  users:\n");
            users.forEach(yaml::append);
        }
        if (!rules.isEmpty()) {
            yaml.append("  rules:\n");
            rules.forEach(yaml::append);
        }
        return write(file, yaml.toString());
    }

    private static String list(List<String> values) {
        return values.stream()
                .map(AuthConfig::quoted)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** A YAML double-quoted scalar: JSON's string syntax is a subset of it. */
    private static String quoted(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
