package dev.berth.server.auth;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.core.ErrorCode;
import dev.berth.core.RegistryException;
import dev.berth.storage.AccessTokenStore;

/**
 * Decides who a request acts for and whether it may do what it asks. Three kinds of credentials
 * are accepted on {@code /v2/}: a bearer token from {@code /token}, Basic with a user's password,
 * and Basic with a CI access token as the password. A request without credentials acts as the
 * anonymous principal.
 *
 * <p>Answers follow the Docker token flow: {@code 401} with a {@code WWW-Authenticate: Bearer}
 * challenge naming the scope the request needs when the caller is not known or its token lacks
 * the scope but a fresh one could carry it; {@code 403 DENIED} when a known caller lacks the
 * right; {@code 429} with {@code Retry-After} while an address is locked out after failed logins.
 *
 * <p>With no users configured, authentication is off and every request is allowed.
 */
public final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final String CI_TOKEN_PREFIX = "berth_";

    private final boolean enabled;
    private final UserDirectory users;
    private final AccessRules rules;
    private final TokenService tokens;
    private final AccessTokenStore ciTokens;
    private final LoginLimiter limiter;
    private final String realm;
    private final boolean tls;
    private final Scheduler blocking;
    private final Clock clock;
    private final List<String> admins;
    /**
     * Successful password checks of the last minute, keyed by a hash of user and password: a
     * script that sends Basic credentials with every request pays for bcrypt once a minute, not
     * once a request. Only successes are kept, so a wrong password always costs a full check.
     */
    private final Cache<String, Caller> recentLogins;

    private Authenticator(boolean enabled, UserDirectory users, AccessRules rules, TokenService tokens,
            AccessTokenStore ciTokens, LoginLimiter limiter, String realm, boolean tls, Scheduler blocking,
            Clock clock, List<String> admins) {
        this.enabled = enabled;
        this.users = users;
        this.rules = rules;
        this.tokens = tokens;
        this.ciTokens = ciTokens;
        this.limiter = limiter;
        this.realm = realm;
        this.tls = tls;
        this.blocking = blocking;
        this.clock = clock;
        this.admins = List.copyOf(admins);
        this.recentLogins = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(Duration.ofMinutes(1))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /**
     * Authentication on, over these users and rules.
     *
     * @param realm the token endpoint URL announced in challenges, or {@code null} to derive it
     *        from each request's {@code Host}
     * @param blocking where bcrypt checks run: they take tens of milliseconds of CPU each and
     *        must not hold up an event loop
     */
    public static Authenticator enabled(UserDirectory users, AccessRules rules, TokenService tokens,
            AccessTokenStore ciTokens, LoginLimiter limiter, String realm, boolean tls, Scheduler blocking,
            Clock clock, List<String> admins) {
        return new Authenticator(true, users, rules, tokens, ciTokens, limiter, realm, tls, blocking, clock,
                admins);
    }

    /** Authentication off: every request is allowed. */
    public static Authenticator disabled(Clock clock) {
        return new Authenticator(false, null, AccessRules.none(), null, null, null, null, false, null, clock,
                List.of());
    }

    public boolean isEnabled() {
        return enabled;
    }

    public TokenService tokens() {
        return tokens;
    }

    /**
     * Checks that the request may do {@code need} ({@code null}: only that the caller is known,
     * as for {@code GET /v2/}). Emits the caller, or fails with a {@link RegistryException} after
     * putting the challenge headers on {@code response}.
     */
    public Mono<Caller> authorize(HttpServerRequest request, HttpServerResponse response, Scope need) {
        if (!enabled) {
            return Mono.just(Caller.of(Principal.anonymous()));
        }
        String header = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return anonymous(request, response, need);
        }
        if (startsWithIgnoreCase(header, "Bearer ")) {
            return bearer(request, response, need, header.substring(7).trim());
        }
        if (startsWithIgnoreCase(header, "Basic ")) {
            return login(request, response, header, need)
                    .flatMap(caller -> permit(request, response, caller, need, false));
        }
        return Mono.error(challenge(request, response, need, "invalid_request"));
    }

    /**
     * The caller, when it is clear without waiting that a request with this
     * {@code Authorization} header may do {@code need}: authentication is off, the rules let
     * anonymous callers do it, or a valid bearer token grants it. {@code null} otherwise, which
     * is no refusal: {@link #authorize} gives the full answer, with its challenge or its
     * password check.
     */
    public Caller authorizeNow(String header, Scope need) {
        if (!enabled) {
            return Caller.of(Principal.anonymous());
        }
        if (header == null || header.isBlank()) {
            Caller caller = Caller.of(Principal.anonymous());
            return covers(caller, need) ? caller : null;
        }
        if (!startsWithIgnoreCase(header, "Bearer ")) {
            return null;
        }
        Optional<TokenService.VerifiedToken> verified = tokens.verifyAccess(header.substring(7).trim());
        if (verified.isEmpty() || !grantsCover(verified.get().grants(), need)) {
            return null;
        }
        return new Caller(verified.get().subject(), Principal.anonymous(), null, verified.get().grants());
    }

    private Mono<Caller> anonymous(HttpServerRequest request, HttpServerResponse response, Scope need) {
        Caller caller = Caller.of(Principal.anonymous());
        if (need != null && covers(caller, need)) {
            return Mono.just(caller);
        }
        return Mono.error(challenge(request, response, need, null));
    }

    private Mono<Caller> bearer(HttpServerRequest request, HttpServerResponse response, Scope need, String token) {
        Optional<TokenService.VerifiedToken> verified = tokens.verifyAccess(token);
        if (verified.isEmpty()) {
            return Mono.error(challenge(request, response, need, "invalid_token"));
        }
        List<TokenGrant> grants = verified.get().grants();
        if (need == null || grantsCover(grants, need)) {
            return Mono.just(new Caller(verified.get().subject(), Principal.anonymous(), null, grants));
        }
        // The token lacks the scope: a fresh token may carry it if the subject holds the right.
        return resolve(verified.get().subject())
                .flatMap(caller -> permit(request, response, caller.withGrants(grants), need, true))
                .switchIfEmpty(Mono.error(() -> challenge(request, response, need, "invalid_token")));
    }

    private Mono<Caller> permit(HttpServerRequest request, HttpServerResponse response, Caller caller, Scope need,
            boolean rechallenge) {
        if (need == null || covers(caller, need)) {
            return rechallenge ? Mono.error(challenge(request, response, need, "insufficient_scope"))
                    : Mono.just(caller);
        }
        if (!caller.isAuthenticated()) {
            return Mono.error(challenge(request, response, need, "insufficient_scope"));
        }
        return Mono.error(ErrorCode.DENIED.exception(caller.subject() + " may not " + need.actions()
                + " " + need.name()));
    }

    /**
     * Checks Basic credentials from {@code header}: a user's password, or a CI access token as the
     * password. Failures count against the client's address; a locked-out address gets
     * {@code 429} before any password is checked.
     */
    public Mono<Caller> login(HttpServerRequest request, HttpServerResponse response, String header, Scope need) {
        String[] credentials = basic(header);
        if (credentials == null) {
            return Mono.error(challenge(request, response, need, "invalid_request"));
        }
        return login(request, response, credentials[0], credentials[1], need);
    }

    /** Checks a user name and password (or CI token), as {@link #login} does for a Basic header. */
    public Mono<Caller> login(HttpServerRequest request, HttpServerResponse response, String name, String password,
            Scope need) {
        String address = address(request);
        // Checked, not counted, up front: counting every attempt until it succeeds would refuse
        // correct logins that merely arrive together while bcrypt is busy with the first ones.
        Optional<Duration> wait = limiter.retryAfter(address);
        if (wait.isPresent()) {
            response.header(HttpHeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, wait.get().toSeconds())));
            return Mono.error(ErrorCode.TOOMANYREQUESTS.exception("too many failed logins from this address"));
        }
        return check(name, password)
                .doOnNext(caller -> limiter.succeeded(address))
                .switchIfEmpty(Mono.defer(() -> {
                    limiter.failed(address);
                    LOG.debug("login refused remote={}", address);
                    return Mono.error(challenge(request, response, need, "invalid_token"));
                }));
    }

    /**
     * A CI token when the password looks like one and is one; else the user's password, so a
     * user whose password merely starts like a token still gets in.
     */
    private Mono<Caller> check(String name, String password) {
        Mono<Caller> asUser = Mono.defer(() -> userLogin(name, password));
        if (password.startsWith(CI_TOKEN_PREFIX)) {
            return ciToken(password).switchIfEmpty(asUser);
        }
        return asUser;
    }

    private Mono<Caller> userLogin(String name, String password) {
        String key = HexFormat.of().formatHex(sha256(name + "\u0000" + password));
        Caller known = recentLogins.getIfPresent(key);
        if (known != null) {
            return Mono.just(known);
        }
        return Mono.fromCallable(() -> users.authenticate(name, password).map(Caller::of).orElse(null))
                .subscribeOn(blocking)
                .doOnNext(caller -> recentLogins.put(key, caller));
    }

    /** A CI token {@code berth_<id>_<secret>}: found by id, its secret compared by hash. */
    private Mono<Caller> ciToken(String presented) {
        int separator = presented.indexOf('_', CI_TOKEN_PREFIX.length());
        if (separator < 0) {
            return Mono.empty();
        }
        String id = presented.substring(CI_TOKEN_PREFIX.length(), separator);
        byte[] secretHash = sha256(presented.substring(separator + 1));
        return ciTokens.find(id)
                .filter(token -> MessageDigest.isEqual(secretHash, HexFormat.of().parseHex(token.secretSha256())))
                .filter(token -> token.isActive(clock.instant()))
                .map(Caller::of);
    }

    /**
     * The caller behind a token subject, as of now: a user that still exists, a CI token that is
     * still active, or anonymous. Empty when the subject is gone.
     */
    public Mono<Caller> resolve(String subject) {
        if (Caller.ANONYMOUS_SUBJECT.equals(subject)) {
            return Mono.just(Caller.of(Principal.anonymous()));
        }
        if (subject.startsWith(Caller.CI_TOKEN_SUBJECT)) {
            return ciTokens.find(subject.substring(Caller.CI_TOKEN_SUBJECT.length()))
                    .filter(token -> token.isActive(clock.instant()))
                    .map(Caller::of);
        }
        return Mono.justOrEmpty(users.find(subject)).map(Caller::of);
    }

    /** What a token for {@code caller} may carry of the requested scopes. */
    public List<TokenGrant> grant(Caller caller, List<Scope> requested) {
        List<TokenGrant> grants = new ArrayList<>();
        for (Scope scope : requested) {
            if (Scope.REGISTRY.equals(scope.type()) && "catalog".equals(scope.name())) {
                grants.add(new TokenGrant(scope.type(), scope.name(), List.of("*")));
            } else if (Scope.REPOSITORY.equals(scope.type())) {
                Set<Action> allowed = caller.allowed(rules, scope.name(), clock.instant());
                List<String> actions = scope.actions().stream()
                        .flatMap(action -> "*".equals(action) ? allowed.stream().map(Action::value)
                                : Action.find(action).filter(allowed::contains).map(Action::value).stream())
                        .distinct()
                        .toList();
                grants.add(new TokenGrant(scope.type(), scope.name(), actions));
            }
        }
        return grants;
    }

    /** Which repositories the caller may see in the catalog. */
    public Mono<Predicate<String>> catalogFilter(Caller caller) {
        if (!enabled) {
            return Mono.just(name -> true);
        }
        if (caller.grants() == null) {
            return Mono.just(caller.pullable(rules, clock.instant()));
        }
        return resolve(caller.subject())
                .map(resolved -> resolved.pullable(rules, clock.instant()))
                .defaultIfEmpty(name -> false);
    }

    /**
     * Checks that the request comes from an administrator: a user named in {@code auth.admins},
     * directly or through a {@code group:} entry, with Basic credentials or a bearer token.
     * With authentication off everyone is; CI tokens never are.
     */
    public Mono<Caller> authorizeAdmin(HttpServerRequest request, HttpServerResponse response) {
        if (!enabled) {
            return Mono.just(Caller.of(Principal.anonymous()));
        }
        String header = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        Mono<Caller> caller;
        if (header != null && startsWithIgnoreCase(header, "Basic ")) {
            caller = login(request, response, header, null);
        } else if (header != null && startsWithIgnoreCase(header, "Bearer ")) {
            caller = Mono.justOrEmpty(tokens.verifyAccess(header.substring(7).trim()))
                    .flatMap(verified -> resolve(verified.subject()));
        } else {
            caller = Mono.empty();
        }
        return caller
                .switchIfEmpty(Mono.error(() -> challenge(request, response, null, null)))
                .flatMap(who -> isAdmin(who) ? Mono.just(who)
                        : Mono.error(ErrorCode.DENIED.exception(who.subject() + " is not an administrator")));
    }

    private boolean isAdmin(Caller caller) {
        if (!(caller.principal() instanceof User user) || caller.ciToken() != null) {
            return false;
        }
        return admins.stream().anyMatch(entry -> entry.equals(user.name())
                || entry.startsWith("group:") && user.inGroup(entry.substring("group:".length())));
    }

    /**
     * Whether the caller may pull from {@code repository}, for the source of a cross-repository
     * mount: by the grants of its token when it presented one, else by its identity.
     */
    public boolean mayPull(Caller caller, String repository) {
        if (!enabled) {
            return true;
        }
        if (caller.grants() != null) {
            return caller.grants().stream().anyMatch(grant -> grant.allows(repository, Action.PULL.value()));
        }
        return caller.allowed(rules, repository, clock.instant()).contains(Action.PULL);
    }

    private boolean covers(Caller caller, Scope need) {
        if (Scope.REGISTRY.equals(need.type())) {
            // A signed-in caller may ask for the catalog (it lists only what they may pull);
            // an anonymous one is challenged first, so clients learn to send credentials, and
            // gets the anonymous view through an anonymous token.
            return caller.isAuthenticated();
        }
        Set<Action> allowed = caller.allowed(rules, need.name(), clock.instant());
        return need.actions().stream().allMatch(action -> Action.find(action).filter(allowed::contains).isPresent());
    }

    private static boolean grantsCover(List<TokenGrant> grants, Scope need) {
        if (Scope.REGISTRY.equals(need.type())) {
            return grants.stream().anyMatch(grant -> Scope.REGISTRY.equals(grant.type())
                    && need.name().equals(grant.name()));
        }
        return need.actions().stream()
                .allMatch(action -> grants.stream().anyMatch(grant -> grant.allows(need.name(), action)));
    }

    /** A 401 with the Bearer challenge for {@code need}, put on the response. */
    private RegistryException challenge(HttpServerRequest request, HttpServerResponse response, Scope need,
            String error) {
        StringBuilder value = new StringBuilder("Bearer realm=\"").append(realm(request))
                .append("\",service=\"").append(tokens.service()).append('"');
        if (need != null) {
            value.append(",scope=\"").append(need).append('"');
        }
        if (error != null) {
            value.append(",error=\"").append(error).append('"');
        }
        response.header(HttpHeaderNames.WWW_AUTHENTICATE, value.toString());
        return ErrorCode.UNAUTHORIZED.exception(need == null ? "authentication required"
                : "authentication required for " + need);
    }

    /** The token endpoint's URL: configured, else this server as the client reached it. */
    public String realm(HttpServerRequest request) {
        if (realm != null) {
            return realm;
        }
        String host = request.requestHeaders().get(HttpHeaderNames.HOST);
        if (host == null) {
            InetSocketAddress local = request.hostAddress();
            host = local == null ? "localhost" : local.getHostString() + ":" + local.getPort();
        }
        String forwarded = request.requestHeaders().get("X-Forwarded-Proto");
        String scheme = forwarded != null ? forwarded : tls ? "https" : "http";
        return scheme + "://" + host + "/token";
    }

    /**
     * The user and password of a Basic header. The user ends at the FIRST colon: a user name
     * never holds one, a password may.
     */
    static String[] basic(String header) {
        if (!startsWithIgnoreCase(header, "Basic ")) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String address(HttpServerRequest request) {
        InetSocketAddress remote = request.remoteAddress();
        if (remote == null || remote.getAddress() == null) {
            return "unknown";
        }
        return LoginLimiter.addressKey(remote.getAddress());
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** For the CI token command: a token's id and the secret to show once. */
    public static String ciTokenText(String id, String secret) {
        return CI_TOKEN_PREFIX + id + "_" + secret;
    }

    /** The stored hash of a CI token secret. */
    public static String ciTokenHash(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }
}
