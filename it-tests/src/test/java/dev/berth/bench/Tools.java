package dev.berth.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The programs one run uses: wrk always; Distribution and nginx when present, each column of
 * the report left empty without its server.
 */
record Tools(Path wrk, Optional<Path> distribution, Optional<Path> nginx) {

    /** Every program, each required to be installed. */
    static Tools requireAll() {
        return new Tools(Binary.WRK.require(), Optional.of(Binary.DISTRIBUTION.require()),
                Optional.of(Binary.NGINX.require()));
    }
}
