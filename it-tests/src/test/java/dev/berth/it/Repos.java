package dev.berth.it;

import java.util.concurrent.atomic.AtomicInteger;

/** Repository names no other test uses, so tests sharing a server never see each other's data. */
final class Repos {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Repos() {
    }

    /** {@code it/<purpose>-<n>}: a valid, lowercase name with a path component. */
    static String unique(String purpose) {
        return "it/" + purpose + "-" + NEXT.incrementAndGet();
    }
}
