/**
 * The registry's domain, free of I/O: content digests, repository names and references, media
 * types, manifest parsing, byte ranges and the table of OCI error codes.
 *
 * <p>Nothing here knows HTTP, databases or files; the storage and server modules build on these
 * types and never the other way round.
 */
package dev.berth.core;
