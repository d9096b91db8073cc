package dev.berth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Catches the {@link RegistryException} a call must fail with, so a test can assert on it. */
final class RegistryFailures {
    private RegistryFailures() {
    }

    /**
     * The exception {@code call} fails with; the test fails when the call returns normally or
     * throws anything other than a {@link RegistryException}.
     */
    static RegistryException thrownBy(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);

        assertThat(thrown).isInstanceOf(RegistryException.class);
        return (RegistryException) thrown;
    }
}
