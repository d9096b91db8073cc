package dev.berth.server.auth;

/**
 * Who a request acts for: an authenticated {@link User}, or {@link #anonymous()} when it carried
 * no credentials. Access rules decide what each may do; see {@link AccessRules}.
 */
public sealed interface Principal permits User, Principal.Anonymous {

    /** The principal of a request without credentials. */
    static Principal anonymous() {
        return Anonymous.INSTANCE;
    }

    /** Whether this is the anonymous principal rather than an authenticated user. */
    boolean isAnonymous();

    /** The one anonymous principal. */
    enum Anonymous implements Principal {
        INSTANCE;

        @Override
        public boolean isAnonymous() {
            return true;
        }

        @Override
        public String toString() {
            return "anonymous";
        }
    }
}
