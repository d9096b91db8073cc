/**
 * Who may use the registry and what they may do: users from an htpasswd file and the
 * configuration ({@link dev.berth.server.auth.UserDirectory}), bcrypt password checks
 * ({@link dev.berth.server.auth.PasswordHashes}), per-repository access rules
 * ({@link dev.berth.server.auth.AccessRules}), the limit on failed logins per client address
 * ({@link dev.berth.server.auth.LoginLimiter}), and the bearer tokens the HTTP layer issues.
 *
 * <p>No password, hash, token or {@code Authorization} header is ever logged; log lines name
 * users and file lines only.
 */
package dev.berth.server.auth;
