package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.uploads;
import static dev.berth.it.Responses.assertStatus;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many requests on one keep-alive connection, as a client pushing an image sends them: each must
 * be answered, whatever the previous one was refused for.
 */
final class KeepAliveIT {
    /** Enough rounds to hit a hang that shows up once in a few hundred requests. */
    private static final int ROUNDS = 1500;

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    /** A short timeout: a request left unanswered fails in seconds, not a minute. */
    private final RegistryClient registry = new RegistryClient(BERTH.process().baseUri(),
            Duration.ofSeconds(10));

    @Test
    void requests_invalidTagThenUploadStartRepeated_everyRequestAnswered() {
        String repo = Repos.unique("keep-alive");

        for (int round = 0; round < ROUNDS; round++) {
            assertStatus(registry.get(manifest(repo, "-bad")), 400);
            assertStatus(registry.post(uploads(repo), new byte[0]), 202);
        }
    }

    @Test
    void requests_invalidNameThenUploadStartRepeated_everyRequestAnswered() {
        String repo = Repos.unique("keep-alive");

        for (int round = 0; round < ROUNDS; round++) {
            assertStatus(registry.get(manifest("UPPER", "x")), 400);
            assertStatus(registry.post(uploads(repo), new byte[0]), 202);
        }
    }
}
