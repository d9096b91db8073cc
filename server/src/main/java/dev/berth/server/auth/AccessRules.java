package dev.berth.server.auth;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The access rules of the configuration. What a principal may do to a repository is the union
 * of the actions of every rule that names the principal and covers the repository; with no such
 * rule it may do nothing. Rules only grant, so their order does not matter.
 */
public final class AccessRules {
    private final List<AccessRule> rules;

    private AccessRules(List<AccessRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules {@code rules}. */
    public static AccessRules of(List<AccessRule> rules) {
        return new AccessRules(rules);
    }

    /** No rules: nobody may do anything. */
    public static AccessRules none() {
        return new AccessRules(List.of());
    }

    /** What {@code who} may do to {@code repository}, possibly nothing. */
    public Set<Action> allowed(Principal who, String repository) {
        Set<Action> allowed = EnumSet.noneOf(Action.class);
        for (AccessRule rule : rules) {
            if (rule.appliesTo(who) && rule.covers(repository)) {
                allowed.addAll(rule.actions());
            }
        }
        return Collections.unmodifiableSet(allowed);
    }

    /** Whether {@code who} may do {@code action} to {@code repository}. */
    public boolean allows(Principal who, String repository, Action action) {
        return allowed(who, repository).contains(action);
    }

    /**
     * The repositories {@code who} may pull from, as a test on names: for filtering the catalog.
     * The rules that apply are chosen once, so the test is cheap to run on many names.
     */
    public Predicate<String> pullable(Principal who) {
        List<AccessRule> pulling = rules.stream()
                .filter(rule -> rule.actions().contains(Action.PULL) && rule.appliesTo(who))
                .toList();
        return repository -> pulling.stream().anyMatch(rule -> rule.covers(repository));
    }

    /** The rules, in the order they were given. */
    public List<AccessRule> rules() {
        return rules;
    }
}
