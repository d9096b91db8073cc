package dev.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the three servers the harness compares, each on a free port of 127.0.0.1 with its own
 * configuration and data under a directory of its own.
 */
final class Servers {
    /**
     * Berth's JVM options in every workload: the heap capped at 256 MiB, and the small-memory
     * settings the README recommends for such a cap. The serial collector is what the JVM picks on
     * its own in a container of 256 MiB or one CPU; on this two-CPU machine it must be asked for.
     */
    static final List<String> BERTH_JVM = List.of("-Xmx256m", "-Xms64m", "-XX:+UseSerialGC");

    private Servers() {
    }

    /**
     * {@code java -Xmx256m -Xms64m -XX:+UseSerialGC -jar berth.jar serve} with the access log off and other logging at
     * WARN, as Distribution is configured, so neither pays for per-request log lines.
     */
    static ServerProcess berth(Path jar, Path dir) {
        Path data = createDirectories(dir.resolve("data"));
        int port = ServerProcess.freePort();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(BERTH_JVM);
        command.addAll(List.of("-jar", jar.toString(), "serve",
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--data", data.toString()));
        Map<String, String> environment = Map.of("BERTH_ACCESS_LOG", "OFF",
                "BERTH_LOG_LEVEL", "WARN");
        return ServerProcess.start("berth", command, environment, port, "/v2/",
                dir.resolve("berth.log"));
    }

    /**
     * {@code docker-registry serve config.yml}: filesystem storage, deletes enabled, the
     * in-memory blob descriptor cache of Distribution's own sample configuration, access log off,
     * log level warn.
     */
    static ServerProcess distribution(Path binary, Path dir) {
        Path data = createDirectories(dir.resolve("data"));
        int port = ServerProcess.freePort();
        String config = String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "  accesslog:",
                "    disabled: true",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + data,
                "  delete:",
                "    enabled: true",
                "  cache:",
                "    blobdescriptor: inmemory",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  secret: berth-bench-" + port,
                "");
        Path file = write(dir.resolve("config.yml"), config);
        List<String> command = List.of(binary.toString(), "serve", file.toString());
        return ServerProcess.start("distribution", command, Map.of(), port, "/v2/",
                dir.resolve("distribution.log"));
    }

    /**
     * nginx in the foreground serving the files of {@code root}: sendfile on, access log off,
     * one worker per core, every path it writes kept under {@code dir}.
     */
    static ServerProcess nginx(Path binary, Path dir, Path root, String probePath) {
        createDirectories(dir.resolve("temp"));
        int port = ServerProcess.freePort();
        String temp = dir.resolve("temp").toString();
        String config = String.join("\n",
                "daemon off;",
                "worker_processes auto;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("nginx-error.log") + " warn;",
                "events {",
                "    worker_connections 4096;",
                "}",
                "http {",
                "    access_log off;",
                "    sendfile on;",
                "    tcp_nopush on;",
                "    keepalive_requests 1000000;",
                "    default_type application/octet-stream;",
                "    client_body_temp_path " + temp + "/body;",
                "    proxy_temp_path " + temp + "/proxy;",
                "    fastcgi_temp_path " + temp + "/fastcgi;",
                "    uwsgi_temp_path " + temp + "/uwsgi;",
                "    scgi_temp_path " + temp + "/scgi;",
                "    server {",
                "        listen 127.0.0.1:" + port + ";",
                "        root " + root + ";",
                "    }",
                "}",
                "");
        Path file = write(dir.resolve("nginx.conf"), config);
        List<String> command = List.of(binary.toString(), "-p", dir.toString(), "-c",
                file.toString(), "-e", dir.resolve("nginx-error.log").toString());
        return ServerProcess.start("nginx", command, Map.of(), port, probePath,
                dir.resolve("nginx.log"));
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content, StandardCharsets.UTF_8).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
