package dev.berth.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.berth.core.RepositoryPattern;
import dev.berth.server.auth.Action;
import dev.berth.server.auth.Authenticator;
import dev.berth.storage.AccessToken;
import dev.berth.storage.Storage;

/**
 * {@code berth token}: long-lived, scoped access tokens for CI pipelines, used as the password of
 * a Basic login ({@code docker login -u ci -p <token>}). The database keeps only a hash of each
 * secret, so a token is shown once, when created. The command works on the data directory while
 * the server runs; the server sees new and revoked tokens at the next login.
 *
 * <pre>
 * berth token create --name NAME --repository PATTERN [--repository PATTERN...]
 *                    --actions pull,push[,delete] [--expires 90d] [--config FILE] [--data DIR]
 * berth token list   [--config FILE] [--data DIR]
 * berth token revoke ID [--config FILE] [--data DIR]
 * </pre>
 *
 * <p>The data directory is found as {@code berth serve} finds it: {@code --data}, then
 * {@code BERTH_DATA}, then {@code data:} in the configuration file ({@code --config} or
 * {@code BERTH_CONFIG}), then {@code ./data}. Tokens written anywhere else would never be seen
 * by the server.
 */
final class TokenCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        if (args.length == 0) {
            err.println("usage: berth token create|list|revoke ... (see berth token --help)");
            return 2;
        }
        try {
            Options options = Options.parse(args, env);
            Storage storage = Storage.open(options.data(), Storage.Settings.defaults(), clock).block(TIMEOUT);
            try {
                return switch (args[0]) {
                    case "create" -> create(storage, options, out, clock);
                    case "list" -> list(storage, out, clock);
                    case "revoke" -> revoke(storage, options, out, err, clock);
                    default -> throw new IllegalArgumentException("unknown token command: " + args[0]
                            + " (expected: create, list or revoke)");
                };
            } finally {
                storage.close().block(TIMEOUT);
            }
        } catch (IllegalArgumentException e) {
            err.println("berth token: " + e.getMessage());
            return 2;
        }
    }

    private static int create(Storage storage, Options options, PrintStream out, Clock clock) {
        if (options.name() == null || options.repositories().isEmpty() || options.actions().isEmpty()) {
            throw new IllegalArgumentException("create needs --name, --repository and --actions");
        }
        options.repositories().forEach(RepositoryPattern::parse);
        Action.parseAll(options.actions());
        byte[] idBytes = new byte[8];
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secretBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Instant now = clock.instant();
        Instant expires = options.expires() == null ? null : now.plus(options.expires());
        storage.accessTokens().create(new AccessToken(id, options.name(), options.repositories(), options.actions(),
                Authenticator.ciTokenHash(secret), now, expires, null)).block(TIMEOUT);
        out.println(Authenticator.ciTokenText(id, secret));
        return 0;
    }

    private static int list(Storage storage, PrintStream out, Clock clock) {
        out.println("ID\tNAME\tREPOSITORIES\tACTIONS\tEXPIRES\tSTATE");
        for (AccessToken token : storage.accessTokens().list().collectList().block(TIMEOUT)) {
            String state = token.revokedAt() != null ? "revoked"
                    : token.isActive(clock.instant()) ? "active" : "expired";
            String expires = token.expiresAt() == null ? "never" : token.expiresAt().toString();
            out.println(String.join("\t", token.id(), token.name(), String.join(",", token.repositories()),
                    String.join(",", token.actions()), expires, state));
        }
        return 0;
    }

    private static int revoke(Storage storage, Options options, PrintStream out, PrintStream err, Clock clock) {
        if (options.positional().isEmpty()) {
            throw new IllegalArgumentException("revoke needs the token ID (see berth token list)");
        }
        String id = options.positional().get(0);
        if (!Boolean.TRUE.equals(storage.accessTokens().revoke(id, clock.instant()).block(TIMEOUT))) {
            err.println("berth token: no active token with ID " + id);
            return 1;
        }
        out.println("revoked " + id);
        return 0;
    }

    /** The flags of the token commands. */
    private record Options(Path data, String name, List<String> repositories, List<String> actions,
            Duration expires, List<String> positional) {

        static Options parse(String[] args, Map<String, String> env) {
            List<String> location = new ArrayList<>();
            String name = null;
            Duration expires = null;
            List<String> repositories = new ArrayList<>();
            List<String> actions = new ArrayList<>();
            List<String> positional = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--")) {
                    positional.add(arg);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + ": missing value");
                }
                String value = args[++i];
                switch (arg) {
                    case "--data", "--config" -> location.addAll(List.of(arg, value));
                    case "--name" -> name = value;
                    case "--repository" -> repositories.add(value);
                    case "--actions" -> actions.addAll(List.of(value.split(",")));
                    case "--expires" -> expires = ServerConfig.duration(value, "--expires");
                    default -> throw new IllegalArgumentException("unknown option: " + arg
                            + " (expected: --config, --data, --name, --repository, --actions, --expires)");
                }
            }
            Path data = ServerConfig.parse(location.toArray(String[]::new), env).data();
            return new Options(data, name, repositories, actions, expires, positional);
        }
    }
}
