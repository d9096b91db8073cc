package dev.berth.server.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a request needs or a client asks a token for, in the Docker token form
 * {@code repository:team-a/app:pull,push} or {@code registry:catalog:*}.
 *
 * @param type {@code repository} or {@code registry}
 * @param name a repository name, or {@code catalog}
 * @param actions the actions, in order
 */
public record Scope(String type, String name, List<String> actions) {
    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";

    public Scope {
        actions = List.copyOf(actions);
    }

    /** The scope of a repository operation. */
    public static Scope repository(String name, Action... actions) {
        return new Scope(REPOSITORY, name, Arrays.stream(actions).map(Action::value).toList());
    }

    /** The scope of listing the catalog. */
    public static Scope catalog() {
        return new Scope(REGISTRY, "catalog", List.of("*"));
    }

    /**
     * Parses one {@code scope} parameter. The name sits between the first and the last colon,
     * since a name may hold a registry port ({@code localhost:5000/app}) in some clients.
     *
     * @return the scope, or {@code null} when the text is not a scope
     */
    public static Scope parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last <= first + 1) {
            return null;
        }
        Set<String> actions = new LinkedHashSet<>();
        for (String action : text.substring(last + 1).split(",")) {
            if (!action.isBlank()) {
                actions.add(action.trim());
            }
        }
        return new Scope(text.substring(0, first), text.substring(first + 1, last), new ArrayList<>(actions));
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
