package dev.berth.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.berth.server.auth.AccessRule;
import dev.berth.server.auth.AccessRules;
import dev.berth.server.auth.Authenticator;
import dev.berth.server.auth.ConfigUser;
import dev.berth.server.auth.Htpasswd;
import dev.berth.server.auth.LoginLimiter;
import dev.berth.server.auth.TokenService;
import dev.berth.server.auth.UserDirectory;
import dev.berth.storage.Storage;

/**
 * Builds the {@link Authenticator} from the configuration. Authentication is on as soon as any
 * user exists, in an htpasswd file or in the configuration file; with users but no rules, every
 * signed-in user may pull, push and delete everywhere, and anonymous callers nothing.
 */
final class AuthSetup {
    private static final Logger LOG = LoggerFactory.getLogger(AuthSetup.class);
    static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(5);
    static final Duration REFRESH_TTL = Duration.ofDays(30);

    private AuthSetup() {
    }

    static Authenticator create(ServerConfig config, Storage storage, Scheduler blocking, Clock clock) {
        ConfigFile.Auth auth = config.auth();
        UserDirectory users = users(config);
        if (users.isEmpty()) {
            LOG.warn("authentication is off: no users are configured, so anyone who reaches the port may pull,"
                    + " push and delete; configure --htpasswd or auth.users to turn it on");
            return Authenticator.disabled(clock);
        }
        AccessRules rules = AccessRules.of(rules(auth));
        Path keyFile = auth.signingKey() != null ? Path.of(auth.signingKey())
                : config.data().resolve("auth").resolve("token-signing-key.pem");
        Duration ttl = auth.tokenTtl() == null ? DEFAULT_TOKEN_TTL
                : ServerConfig.duration(auth.tokenTtl(), "auth.tokenTtl");
        TokenService tokens = TokenService.open(keyFile, orDefault(auth.issuer(), "berth"),
                orDefault(auth.service(), "berth"), ttl, REFRESH_TTL, clock);
        LOG.info("authentication on users={} rules={} tokenTtl={}", users.names().size(), rules.rules().size(), ttl);
        return Authenticator.enabled(users, rules, tokens, storage.accessTokens(), new LoginLimiter(clock),
                auth.realm(), config.tls(), blocking, clock, auth.admins() == null ? List.of() : auth.admins());
    }

    /**
     * The scheduler for work beside requests: bcrypt checks (CPU-bound, so no more threads than
     * cores), certificate file checks and the maintenance schedules.
     */
    static Scheduler backgroundScheduler() {
        int cores = Runtime.getRuntime().availableProcessors();
        return Schedulers.newBoundedElastic(Math.max(2, cores), 10_000, "berth-background");
    }

    private static UserDirectory users(ServerConfig config) {
        List<ConfigUser> configured = new ArrayList<>();
        List<ConfigFile.User> listed = config.auth().users() == null ? List.of() : config.auth().users();
        for (ConfigFile.User user : listed) {
            configured.add(new ConfigUser(user.name(), user.password(),
                    user.groups() == null ? Set.of() : Set.copyOf(user.groups())));
        }
        if (config.htpasswd() == null) {
            return UserDirectory.of(configured);
        }
        try {
            return UserDirectory.of(Htpasswd.read(config.htpasswd()), configured);
        } catch (IOException e) {
            throw new UncheckedIOException("htpasswd file " + config.htpasswd() + " cannot be read", e);
        }
    }

    private static List<AccessRule> rules(ConfigFile.Auth auth) {
        if (auth.rules() == null || auth.rules().isEmpty()) {
            return List.of(AccessRule.of(List.of("*"), List.of("**"), List.of("pull", "push", "delete")));
        }
        List<AccessRule> rules = new ArrayList<>();
        for (ConfigFile.Rule rule : auth.rules()) {
            rules.add(AccessRule.of(orEmpty(rule.who()), orEmpty(rule.repositories()), orEmpty(rule.actions())));
        }
        return rules;
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
