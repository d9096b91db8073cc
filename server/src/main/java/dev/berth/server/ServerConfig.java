package dev.berth.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code berth serve} runs with. Each setting comes from, in order of precedence, a
 * command-line flag, an environment variable, or the default:
 *
 * <pre>
 * --host  BERTH_HOST  0.0.0.0    address to listen on
 * --port  BERTH_PORT  5000       port to listen on; 0 picks a free one
 * --data  BERTH_DATA  ./data     directory for the database, blobs and uploads
 * </pre>
 *
 * @param host the address to bind
 * @param port the port to bind, 0 for any free port
 * @param data the data directory
 */
public record ServerConfig(String host, int port, Path data) {
    public static final int DEFAULT_PORT = 5000;

    public ServerConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
        }
    }

    /** Reads flags such as {@code --port 5001} or {@code --port=5001} over the environment. */
    public static ServerConfig parse(String[] args, Map<String, String> env) {
        String host = env.getOrDefault("BERTH_HOST", "0.0.0.0");
        String port = env.getOrDefault("BERTH_PORT", String.valueOf(DEFAULT_PORT));
        String data = env.getOrDefault("BERTH_DATA", "data");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + ": missing value");
            }
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = value;
                case "--data" -> data = value;
                default -> throw new IllegalArgumentException("unknown option: " + name
                        + " (expected: --host, --port or --data)");
            }
        }
        return new ServerConfig(host, parsePort(port), Path.of(data).toAbsolutePath().normalize());
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port: " + text + " (expected: a number)", e);
        }
    }
}
