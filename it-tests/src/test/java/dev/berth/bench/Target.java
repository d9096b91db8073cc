package dev.berth.bench;

/**
 * A running server under load, with an HTTP client for the registry API ({@code http} is unused
 * for nginx).
 */
record Target(Kind kind, ServerProcess process, RegistryHttp http) {

    /** The three servers of the report, in column order. */
    enum Kind {
        BERTH("Berth"),
        DISTRIBUTION("Distribution"),
        NGINX("nginx");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    boolean isRegistry() {
        return kind != Kind.NGINX;
    }

    int port() {
        return process.port();
    }

    /** CPU seconds the server process has used so far. */
    double cpuSeconds() {
        return ProcStats.sample(process.pid()).cpuSeconds();
    }
}
