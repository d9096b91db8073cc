package dev.berth.server.auth;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.berth.core.RepositoryPattern;

/**
 * Grants {@code actions} on the repositories matching {@code repositories} to {@code subjects}.
 *
 * <p>A subject is one of:
 * <ul>
 *   <li>a user name, such as {@code alice}, or {@code user:alice} for a user whose name is also
 *       one of the words below;
 *   <li>{@code group:<name>}: every user in that group;
 *   <li>{@code *}: every authenticated user;
 *   <li>{@code anonymous}: everyone, with or without credentials. What the public may do, a
 *       logged-in user may do too, so logging in never takes access away.
 * </ul>
 *
 * @param subjects who the rule is for, at least one
 * @param repositories the repositories it covers, at least one; see {@link RepositoryPattern}
 * @param actions what it grants, at least one
 */
public record AccessRule(
        List<String> subjects, List<RepositoryPattern> repositories, Set<Action> actions) {
    private static final String ANONYMOUS = "anonymous";
    private static final String ANY_USER = "*";
    private static final String GROUP = "group:";
    private static final String USER = "user:";

    public AccessRule {
        subjects = List.copyOf(subjects);
        repositories = List.copyOf(repositories);
        actions = Set.copyOf(actions);
        if (subjects.isEmpty() || repositories.isEmpty() || actions.isEmpty()) {
            throw new IllegalArgumentException("access rule: subjects=" + subjects
                    + " repositories=" + repositories + " actions=" + actions
                    + " (expected: at least one of each)");
        }
        subjects.forEach(AccessRule::checkSubject);
    }

    /**
     * The rule written in the configuration as strings.
     *
     * @throws IllegalArgumentException naming the first subject, pattern or action that is not
     *     valid
     */
    public static AccessRule of(
            List<String> subjects, List<String> repositories, List<String> actions) {
        List<RepositoryPattern> patterns = repositories.stream()
                .map(RepositoryPattern::parse)
                .toList();
        return new AccessRule(subjects, patterns, Action.parseAll(actions));
    }

    /** Whether {@code who} is one of the rule's subjects. */
    public boolean appliesTo(Principal who) {
        for (String subject : subjects) {
            if (isSubject(subject, who)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code repository} matches one of the rule's patterns. */
    public boolean covers(String repository) {
        for (RepositoryPattern pattern : repositories) {
            if (pattern.matches(repository)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSubject(String subject, Principal who) {
        if (ANONYMOUS.equals(subject)) {
            return true;
        }
        if (!(who instanceof User user)) {
            return false;
        }
        if (ANY_USER.equals(subject)) {
            return true;
        }
        if (subject.startsWith(GROUP)) {
            return user.inGroup(subject.substring(GROUP.length()));
        }
        String name = subject.startsWith(USER) ? subject.substring(USER.length()) : subject;
        return user.name().equals(name);
    }

    private static void checkSubject(String subject) {
        Objects.requireNonNull(subject, "subject");
        String rest = subject;
        if (subject.startsWith(GROUP)) {
            rest = subject.substring(GROUP.length());
        } else if (subject.startsWith(USER)) {
            rest = subject.substring(USER.length());
        }
        boolean prefixed = rest.length() != subject.length();
        if (rest.isEmpty() || !rest.strip().equals(rest) || (!prefixed && rest.indexOf(':') >= 0)) {
            throw new IllegalArgumentException("access rule subject: \"" + subject
                    + "\" (expected: a user name, user:<name>, group:<name>, * or anonymous)");
        }
    }
}
