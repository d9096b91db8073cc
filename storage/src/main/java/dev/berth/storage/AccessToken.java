package dev.berth.storage;

import java.time.Instant;
import java.util.List;

/**
 * A long-lived, scoped credential for a CI pipeline: which repositories it reaches (patterns such
 * as {@code team-a/**}), which actions it allows, and until when. The secret is not part of it;
 * only its SHA-256 is stored.
 *
 * @param id the public half of the token, shown in listings and used to revoke it
 * @param name a label chosen by the administrator
 * @param repositories the repository patterns the token reaches
 * @param actions the actions it allows ({@code pull}, {@code push}, {@code delete})
 * @param secretSha256 the hex SHA-256 of the secret half
 * @param createdAt when it was created
 * @param expiresAt when it stops working, or {@code null} for never
 * @param revokedAt when it was revoked, or {@code null}
 */
public record AccessToken(String id, String name, List<String> repositories, List<String> actions,
        String secretSha256, Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public AccessToken {
        repositories = List.copyOf(repositories);
        actions = List.copyOf(actions);
    }

    /** Whether the token may be used at {@code now}: not revoked and not expired. */
    public boolean isActive(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
