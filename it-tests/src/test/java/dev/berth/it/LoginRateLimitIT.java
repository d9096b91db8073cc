package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Challenge.assertChallenge;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static dev.berth.it.TokenEndpoint.scope;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limit on failed logins: after 10 failures from one address within a minute, even the
 * right password is refused with {@code 429} until the window passes, while right passwords
 * alone are never limited. Every test runs from 127.0.0.1, so this class has a server of its
 * own: its first test logs in many times at once, the next locks the address out, and the rest
 * check what a locked-out address may still do ({@link #lockOut} lets each also run alone).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class LoginRateLimitIT {
    private static final String USER = "limited";
    private static final String PASSWORD = "limited:pass wörd";
    /** Logs in only in the burst, so no earlier login has made its password check cheaper. */
    private static final String BURST_USER = "burst";
    private static final String REPO = "limited/app";
    private static final int ALLOWED_FAILURES = 10;
    private static final long TIMEOUT_SECONDS = 60;
    private static final int PARALLEL_LOGINS = 3 * ALLOWED_FAILURES;

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--htpasswd",
            AuthConfig.htpasswd(dir.resolve("htpasswd"), Map.of(USER, PASSWORD,
                    BURST_USER, PASSWORD)).toString()));

    private static String tokenBeforeLockout;
    private static List<Integer> failures;

    private final RegistryClient anonymous = BERTH.anonymousClient();

    @BeforeAll
    static void loginBeforeLockout() {
        BERTH.anonymousClient().withBasicAuth(USER, PASSWORD).pushImage(REPO, "v1");
        tokenBeforeLockout = new TokenEndpoint(BERTH.client())
                .accessToken(USER, PASSWORD, scope(REPO, "pull"));
    }

    @Test
    @Order(1)
    void login_manyRightPasswordsAtOnce_allSucceed() throws Exception {
        List<Callable<HttpResponse<byte[]>>> connect = new ArrayList<>();
        List<Callable<HttpResponse<byte[]>>> logins = new ArrayList<>();
        for (int i = 0; i < PARALLEL_LOGINS; i++) {
            connect.add(() -> anonymous.get("/v2/"));
            logins.add(() -> anonymous.get("/v2/",
                    "Authorization", RegistryClient.basic(BURST_USER, PASSWORD)));
        }
        // Requests without credentials open the connections, so the logins arrive together.
        atOnce(connect);

        List<HttpResponse<byte[]>> responses = atOnce(logins);

        // Only failures count: logins still being checked are no reason to refuse more.
        assertThat(responses).allSatisfy(response -> assertStatus(response, 200));
    }

    @Test
    @Order(2)
    void login_tenFailuresThenRightPassword_returns429WithRetryAfter() {
        lockOut();

        HttpResponse<byte[]> response = anonymous.get("/v2/",
                "Authorization", RegistryClient.basic(USER, PASSWORD));

        assertThat(failures).hasSize(ALLOWED_FAILURES).containsOnly(401);
        assertError(response, 429, "TOOMANYREQUESTS");
        assertThat(header(response, "Retry-After")).matches("\\d+");
        assertThat(Integer.parseInt(header(response, "Retry-After"))).isBetween(1, 60);
    }

    @Test
    @Order(3)
    void getToken_rightPasswordWhileLockedOut_returns429() {
        lockOut();

        HttpResponse<byte[]> response = new TokenEndpoint(BERTH.client())
                .get(USER, PASSWORD, scope(REPO, "pull"));

        assertError(response, 429, "TOOMANYREQUESTS");
        assertThat(header(response, "Retry-After")).matches("[1-9]\\d*");
    }

    @Test
    @Order(4)
    void postToken_passwordGrantWhileLockedOut_returns429() {
        lockOut();

        HttpResponse<byte[]> response = new TokenEndpoint(BERTH.client())
                .passwordGrant(USER, PASSWORD, scope(REPO, "pull"));

        assertError(response, 429, "TOOMANYREQUESTS");
    }

    @Test
    @Order(5)
    void getManifest_tokenIssuedBeforeLockout_stillReturns200() {
        lockOut();

        HttpResponse<byte[]> response = anonymous.withBearer(tokenBeforeLockout)
                .get(manifest(REPO, "v1"), "Accept", MediaTypes.OCI_MANIFEST);

        assertStatus(response, 200);
    }

    @Test
    @Order(6)
    void getManifest_noCredentialsWhileLockedOut_returns401Challenge() {
        lockOut();

        HttpResponse<byte[]> response = anonymous.get(manifest(REPO, "v1"));

        assertChallenge(response, BERTH.process(), scope(REPO, "pull"), null);
    }

    /** Runs {@code tasks} on as many threads, released together; their results in order. */
    private static <T> List<T> atOnce(List<Callable<T>> tasks) throws InterruptedException,
            ExecutionException, TimeoutException {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Fails {@value #ALLOWED_FAILURES} logins with a wrong password, once per class. */
    private static synchronized void lockOut() {
        if (failures != null) {
            return;
        }
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < ALLOWED_FAILURES; i++) {
            statuses.add(BERTH.anonymousClient().get("/v2/",
                    "Authorization", RegistryClient.basic(USER, "wrong " + i)).statusCode());
        }
        failures = statuses;
    }
}
