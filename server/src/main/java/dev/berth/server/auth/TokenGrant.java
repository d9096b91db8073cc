package dev.berth.server.auth;

import java.util.List;

/**
 * One entry of a token's {@code access} claim, as the Docker token specification writes it:
 * {@code {"type":"repository","name":"team-a/app","actions":["pull","push"]}}.
 *
 * @param type {@code repository} or {@code registry}
 * @param name the repository name, or {@code catalog}
 * @param actions the granted actions, possibly none
 */
public record TokenGrant(String type, String name, List<String> actions) {
    public TokenGrant {
        actions = List.copyOf(actions);
    }

    /** Whether this grant covers {@code action} on the repository {@code repository}. */
    public boolean allows(String repository, String action) {
        return "repository".equals(type) && name.equals(repository) && actions.contains(action);
    }
}
