package dev.berth.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code berth} command. {@code berth serve [--host H] [--port P] [--data DIR]} runs the
 * registry until the process is stopped.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || !"serve".equals(args[0])) {
            System.err.println("usage: berth serve [--host HOST] [--port PORT] [--data DIR]");
            System.exit(2);
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(Arrays.copyOfRange(args, 1, args.length), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("berth: " + e.getMessage());
            System.exit(2);
            return;
        }
        RegistryServer server = RegistryServer.start(config, Clock.systemUTC()).block();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("registry stopping");
            server.stop().block(Duration.ofSeconds(30));
        }, "berth-shutdown"));
        server.onDispose().block();
    }
}
