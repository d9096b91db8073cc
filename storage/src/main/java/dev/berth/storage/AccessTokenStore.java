package dev.berth.storage;

import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The CI access tokens: created and revoked by an administrator, looked up on each login. */
public interface AccessTokenStore {

    Mono<Void> create(AccessToken token);

    /** A token by id, revoked and expired ones included; empty when unknown. */
    Mono<AccessToken> find(String id);

    /** Every token, oldest first. */
    Flux<AccessToken> list();

    /** Marks a token revoked; emits whether an unrevoked token with that id existed. */
    Mono<Boolean> revoke(String id, Instant when);
}
