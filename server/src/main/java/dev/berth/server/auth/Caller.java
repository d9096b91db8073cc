package dev.berth.server.auth;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.berth.core.RepositoryPattern;
import dev.berth.storage.AccessToken;

/**
 * Who a request acts for and what that lets it do: a user or the anonymous principal judged by
 * the access rules, a CI access token judged by its own scope, or the bearer of a token judged
 * by the grants inside it.
 *
 * @param subject the name put in issued tokens: a user name, {@code :anonymous}, or
 *        {@code ci-token:<id>}
 * @param principal the user or anonymous principal; for a CI token, anonymous
 * @param ciToken the CI access token presented, or {@code null}
 * @param grants the grants of the bearer token presented, or {@code null} when none was
 */
public record Caller(String subject, Principal principal, AccessToken ciToken, List<TokenGrant> grants) {
    /** Subjects of CI access tokens start with this, which no user name can contain. */
    public static final String CI_TOKEN_SUBJECT = "ci-token:";
    /** The subject of anonymous tokens; the colon keeps it apart from every possible user name. */
    public static final String ANONYMOUS_SUBJECT = ":anonymous";
    private static final Map<String, RepositoryPattern> CI_PATTERNS = new ConcurrentHashMap<>();

    static Caller of(Principal principal) {
        String subject = principal instanceof User user ? user.name() : ANONYMOUS_SUBJECT;
        return new Caller(subject, principal, null, null);
    }

    static Caller of(AccessToken token) {
        return new Caller(CI_TOKEN_SUBJECT + token.id(), Principal.anonymous(), token, null);
    }

    Caller withGrants(List<TokenGrant> tokenGrants) {
        return new Caller(subject, principal, ciToken, List.copyOf(tokenGrants));
    }

    /** Whether the caller proved an identity (a user or a CI token), as opposed to anonymous. */
    public boolean isAuthenticated() {
        return ciToken != null || !principal.isAnonymous();
    }

    /** What the caller's identity may do to {@code repository}, by the rules or the CI token. */
    Set<Action> allowed(AccessRules rules, String repository, Instant now) {
        if (ciToken != null) {
            if (!ciToken.isActive(now) || ciToken.repositories().stream()
                    .noneMatch(pattern -> compiled(pattern).matches(repository))) {
                return Set.of();
            }
            return EnumSet.copyOf(Action.parseAll(ciToken.actions()));
        }
        return rules.allowed(principal, repository);
    }

    /**
     * A CI token's pattern, compiled once: the catalog asks for every repository name, and a
     * regex compile per name and request would dominate. Patterns only come from tokens an
     * administrator created, so the memo stays small.
     */
    private static RepositoryPattern compiled(String pattern) {
        return CI_PATTERNS.computeIfAbsent(pattern, RepositoryPattern::parse);
    }

    /** Which repositories the caller's identity may pull from (for the catalog). */
    Predicate<String> pullable(AccessRules rules, Instant now) {
        if (ciToken != null) {
            return repository -> allowed(rules, repository, now).contains(Action.PULL);
        }
        return rules.pullable(principal);
    }
}
