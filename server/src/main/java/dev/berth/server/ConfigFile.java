package dev.berth.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The YAML configuration file, as written by an operator. Every key is optional; a flag or an
 * environment variable overrides the scalar ones (see {@link ServerConfig}). Unknown keys are
 * an error, so a misspelt key never silently does nothing.
 *
 * <pre>
 * host: 0.0.0.0
 * port: 5000
 * data: /var/lib/berth
 * idleTimeout: 2m     # a connection that sends nothing for this long is closed
 * tls:
 *   certificate: /etc/berth/tls/tls.crt
 *   key: /etc/berth/tls/tls.key
 * auth:
 *   htpasswd: /etc/berth/htpasswd
 *   users:
 *     - name: alice
 *       password: "$2y$10$..."          # bcrypt, as `berth passwd` prints it
 *       groups: [team-a]
 *   rules:
 *     - who: [group:team-a]
 *       repositories: ["team-a/**"]
 *       actions: [pull, push, delete]
 *     - who: [anonymous]
 *       repositories: ["library/**"]
 *       actions: [pull]
 *   realm: https://registry.example.com/token   # default: derived from each request
 *   service: berth
 *   issuer: berth
 *   tokenTtl: 5m
 *   signingKey: /etc/berth/token-key.pem        # default: &lt;data&gt;/auth/token-signing-key.pem
 *   admins: [alice, group:ops]                  # may call POST /admin/gc
 * gc:
 *   interval: 24h                               # 0 turns the schedule off
 *   manifestGrace: 24h
 *   blobGrace: 24h
 *   keepOrphanReferrers: true
 *   retention:
 *     - repositories: "team-a/**"
 *       keepNewest: 10
 *       keepTags: "^v[0-9]+"
 *       deleteOlderThan: 90d
 * uploads:
 *   expireAfter: 24h
 * </pre>
 */
public record ConfigFile(String host, Integer port, String data, String idleTimeout, Tls tls, Auth auth, Gc gc,
        Uploads uploads) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    static ConfigFile empty() {
        return new ConfigFile(null, null, null, null, null, null, null, null);
    }

    static ConfigFile read(Path file) {
        try {
            ConfigFile config = YAML.readValue(file.toFile(), ConfigFile.class);
            return config == null ? empty() : config;
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getOriginalMessage()
                    + " at " + e.getPathReference(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code tls:} the PEM files of the server certificate chain and its private key. */
    public record Tls(String certificate, String key) {
    }

    /** {@code auth:} users, rules and token settings. */
    public record Auth(String htpasswd, List<User> users, List<Rule> rules, String realm, String service,
            String issuer, String tokenTtl, String signingKey, List<String> admins) {
    }

    /** {@code gc:} when garbage collection runs and what it keeps. */
    public record Gc(String interval, String manifestGrace, String blobGrace, Boolean keepOrphanReferrers,
            List<Retention> retention) {
    }

    /** One retention rule: which tags of matching repositories to delete. */
    public record Retention(String repositories, Integer keepNewest, String keepTags, String deleteOlderThan) {
    }

    /** {@code uploads:} how long an idle upload session lives. */
    public record Uploads(String expireAfter) {
    }

    /** A user listed in the file, with a bcrypt password hash. */
    public record User(String name, String password, List<String> groups) {
    }

    /** One authorisation rule: who may do which actions on which repositories. */
    public record Rule(List<String> who, List<String> repositories, List<String> actions) {
    }
}
