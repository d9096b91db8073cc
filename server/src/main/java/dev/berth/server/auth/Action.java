package dev.berth.server.auth;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a principal may do to a repository. The actions are independent: {@code push} does not
 * imply {@code pull}, though {@code docker push} asks for both (it checks which blobs exist
 * before it uploads), so a rule for pushers normally grants both.
 */
public enum Action {
    /** Read manifests, blobs, tags and referrers. */
    PULL,
    /** Upload blobs and manifests, and mount blobs from another repository. */
    PUSH,
    /** Delete manifests, tags and blobs. */
    DELETE;

    /** The lowercase name the token scopes and the configuration use: {@code pull}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action named {@code value} ({@code pull}, {@code push}, {@code delete}), if any. */
    public static Optional<Action> find(String value) {
        for (Action action : values()) {
            if (action.value().equals(value)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }

    /**
     * The actions {@code value} stands for: one action by its lowercase name, or all for
     * {@code *}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Set<Action> parse(String value) {
        if ("*".equals(value)) {
            return EnumSet.allOf(Action.class);
        }
        return find(value)
                .map(EnumSet::of)
                .orElseThrow(() -> new IllegalArgumentException("action: \"" + value
                        + "\" (expected: pull, push, delete or *)"));
    }

    /** The union of {@link #parse} over {@code values}. */
    public static Set<Action> parseAll(Collection<String> values) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String value : values) {
            actions.addAll(parse(value));
        }
        return actions;
    }
}
