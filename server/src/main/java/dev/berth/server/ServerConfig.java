package dev.berth.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code berth serve} runs with. Each setting comes from, in order of precedence, a
 * command-line flag, an environment variable, the YAML file named by {@code --config} (see
 * {@link ConfigFile}), or the default:
 *
 * <pre>
 * --config    BERTH_CONFIG     (none)     YAML configuration file
 * --host      BERTH_HOST       0.0.0.0    address to listen on
 * --port      BERTH_PORT       5000       port to listen on; 0 picks a free one
 * --data      BERTH_DATA       ./data     directory for the database, blobs and uploads
 * --htpasswd  BERTH_HTPASSWD   (none)     htpasswd file of bcrypt users; turns auth on
 * --tls-cert  BERTH_TLS_CERT   (none)     PEM certificate chain; turns TLS on
 * --tls-key   BERTH_TLS_KEY    (none)     PEM private key of that certificate
 * </pre>
 *
 * @param host the address to bind
 * @param port the port to bind, 0 for any free port
 * @param data the data directory
 * @param tlsCertificate the PEM certificate chain, or {@code null} for plain HTTP
 * @param tlsKey the PEM private key, or {@code null} for plain HTTP
 * @param htpasswd the htpasswd file, or {@code null}
 * @param auth the {@code auth:} section of the configuration file, never {@code null}
 * @param gc the {@code gc:} section, never {@code null}
 * @param uploads the {@code uploads:} section, never {@code null}
 * @param idleTimeout how long a connection may send nothing while the server waits for it:
 *        between requests, or in the middle of a request body ({@code idleTimeout:} in the file)
 */
public record ServerConfig(String host, int port, Path data, Path tlsCertificate, Path tlsKey, Path htpasswd,
        ConfigFile.Auth auth, ConfigFile.Gc gc, ConfigFile.Uploads uploads, Duration idleTimeout) {
    public static final int DEFAULT_PORT = 5000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);

    private static final Map<String, String> FLAGS = Map.of(
            "--config", "BERTH_CONFIG", "--host", "BERTH_HOST", "--port", "BERTH_PORT", "--data", "BERTH_DATA",
            "--htpasswd", "BERTH_HTPASSWD", "--tls-cert", "BERTH_TLS_CERT", "--tls-key", "BERTH_TLS_KEY");

    public ServerConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a key (certificate: "
                    + tlsCertificate + ", key: " + tlsKey + ")");
        }
        if (auth == null) {
            auth = new ConfigFile.Auth(null, null, null, null, null, null, null, null, null);
        }
        if (gc == null) {
            gc = new ConfigFile.Gc(null, null, null, null, null);
        }
        if (uploads == null) {
            uploads = new ConfigFile.Uploads(null);
        }
        if (idleTimeout == null) {
            idleTimeout = DEFAULT_IDLE_TIMEOUT;
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: a positive duration)");
        }
    }

    /** Plain HTTP, no authentication: what tests and a laptop need. */
    public ServerConfig(String host, int port, Path data) {
        this(host, port, data, null, null, null, null, null, null, null);
    }

    /** Whether the server speaks TLS. */
    public boolean tls() {
        return tlsCertificate != null;
    }

    /** Reads flags such as {@code --port 5001} or {@code --port=5001} over the environment. */
    public static ServerConfig parse(String[] args, Map<String, String> env) {
        Map<String, String> settings = new HashMap<>();
        FLAGS.values().forEach(variable -> {
            if (env.get(variable) != null) {
                settings.put(variable, env.get(variable));
            }
        });
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!FLAGS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option: " + name + " (expected one of: "
                        + String.join(", ", FLAGS.keySet().stream().sorted().toList()) + ")");
            }
            if (arg.contains("=")) {
                settings.put(FLAGS.get(name), arg.substring(arg.indexOf('=') + 1));
            } else if (i + 1 < args.length) {
                settings.put(FLAGS.get(name), args[++i]);
            } else {
                throw new IllegalArgumentException(arg + ": missing value");
            }
        }
        String configPath = settings.get("BERTH_CONFIG");
        ConfigFile file = configPath == null ? ConfigFile.empty() : ConfigFile.read(Path.of(configPath));
        ConfigFile.Tls tls = file.tls() == null ? new ConfigFile.Tls(null, null) : file.tls();
        ConfigFile.Auth auth = file.auth() == null
                ? new ConfigFile.Auth(null, null, null, null, null, null, null, null, null) : file.auth();
        String host = settings.getOrDefault("BERTH_HOST", file.host() == null ? "0.0.0.0" : file.host());
        String port = settings.getOrDefault("BERTH_PORT",
                String.valueOf(file.port() == null ? DEFAULT_PORT : file.port()));
        String data = settings.getOrDefault("BERTH_DATA", file.data() == null ? "data" : file.data());
        return new ServerConfig(host, parsePort(port), absolute(data),
                path(settings.getOrDefault("BERTH_TLS_CERT", tls.certificate())),
                path(settings.getOrDefault("BERTH_TLS_KEY", tls.key())),
                path(settings.getOrDefault("BERTH_HTPASSWD", auth.htpasswd())), auth, file.gc(), file.uploads(),
                file.idleTimeout() == null ? null : duration(file.idleTimeout(), "idleTimeout"));
    }

    /**
     * Reads a duration such as {@code 90s}, {@code 5m}, {@code 12h}, {@code 30d}, or ISO-8601
     * ({@code PT5M}).
     */
    public static Duration duration(String text, String name) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": " + text + " (expected: a duration such as 90s, 5m, 12h, 30d)",
                    e);
        }
    }

    private static Path path(String text) {
        return text == null || text.isBlank() ? null : absolute(text);
    }

    private static Path absolute(String text) {
        return Path.of(text).toAbsolutePath().normalize();
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port: " + text + " (expected: a number)", e);
        }
    }
}
