/**
 * The HTTP face of Berth: a Reactor Netty server speaking the OCI Distribution API, its
 * configuration and the {@code berth} command line.
 *
 * <p>Requests flow one way: {@link dev.berth.server.Router} matches the path from its end (a
 * repository name may contain slashes), one handler per API resource parses the request and calls
 * storage, and {@link dev.berth.server.ErrorWriter} turns every failure into the spec's JSON
 * error body. Handlers never block: storage does its disk and database work on its own
 * schedulers.
 */
package dev.berth.server;
