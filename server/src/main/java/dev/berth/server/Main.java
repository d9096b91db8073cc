package dev.berth.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.berth.server.auth.PasswdCommand;

/**
 * The {@code berth} command: {@code serve} runs the registry until the process is stopped,
 * {@code passwd} hashes a password for an htpasswd file or the configuration, and
 * {@code token} manages CI access tokens.
 */
public final class Main {
    /** Read by logback.xml; set before the first logger is made, which configures logback. */
    private static final String LOG_TARGET = "berth.log.target";
    private static final String RECYCLER_CAPACITY = "io.netty.recycler.maxCapacityPerThread";
    private static final String USAGE = String.join("\n",
            "usage: berth serve [--config FILE] [--host HOST] [--port PORT] [--data DIR] [--htpasswd FILE]",
            "                   [--tls-cert FILE --tls-key FILE]",
            "       berth gc [--dry-run] [--config FILE] [--data DIR]   (with no server running on DIR)",
            "       berth passwd                  (reads a password on standard input, prints its bcrypt hash)",
            "       berth token create --name NAME --repository PATTERN --actions pull,push [--expires 90d]",
            "       berth token list | berth token revoke ID   (each takes --config FILE, --data DIR)");

    private Main() {
    }

    public static void main(String[] args) {
        poolNothingPerThread();
        String command = args.length == 0 ? "" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "serve" -> serve(rest);
            case "passwd" -> System.exit(PasswdCommand.run(System.in, System.out, System.err));
            case "gc" -> {
                System.setProperty(LOG_TARGET, "System.err");
                System.exit(GcCommand.run(rest, System.getenv(), System.out, System.err, Clock.systemUTC()));
            }
            case "token" -> {
                // The token is the command's output: logs go to standard error, so that
                // TOKEN=$(berth token create ...) captures the token alone.
                System.setProperty(LOG_TARGET, "System.err");
                System.exit(TokenCommand.run(rest, System.getenv(), System.out, System.err, Clock.systemUTC()));
            }
            default -> {
                System.err.println(USAGE);
                System.exit(2);
            }
        }
    }

    /**
     * Turns off Netty's per-thread object pools (its {@code Recycler}) unless the operator set
     * {@code io.netty.recycler.maxCapacityPerThread}. Netty 4.2 hands pooled objects between
     * threads through concurrent queues, which cost more than allocating afresh: manifest HEAD
     * and GET ran about 4 % faster without the pools (medians of six alternating runs). Must
     * run before Netty's classes load.
     */
    private static void poolNothingPerThread() {
        if (System.getProperty(RECYCLER_CAPACITY) == null) {
            System.setProperty(RECYCLER_CAPACITY, "0");
        }
    }

    private static void serve(String[] args) {
        Logger log = LoggerFactory.getLogger(Main.class);
        ServerConfig config;
        try {
            config = ServerConfig.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("berth: " + e.getMessage());
            System.exit(2);
            return;
        }
        RegistryServer server;
        try {
            server = RegistryServer.start(config, Clock.systemUTC()).block();
        } catch (RuntimeException e) {
            log.error("registry failed to start error={}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("registry stopping");
            server.stop().block(Duration.ofSeconds(30));
        }, "berth-shutdown"));
        server.onDispose().block();
    }
}
