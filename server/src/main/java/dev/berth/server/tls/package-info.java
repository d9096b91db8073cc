/**
 * TLS in the registry process: loading a PEM certificate chain and private key, serving HTTP/2
 * and HTTP/1.1 over them through ALPN, and picking up a rotated pair without a restart.
 *
 * <p>{@link dev.berth.server.tls.Tls} is the entry point and
 * {@link dev.berth.server.tls.TlsSettings} says where the files are; every unusable file fails
 * with a {@link dev.berth.server.tls.TlsException} naming it. Inside, {@code PemFiles} parses
 * PEM with BouncyCastle, {@code CertifiedKey} checks that the key belongs to the first
 * certificate, and {@code CertificateReloader} re-reads both files on the injected scheduler and
 * swaps the Netty context that new handshakes use. Key material never reaches a log line or an
 * exception message.
 *
 * <p>The package owns no port and no routes: the server module decides whether TLS is on and
 * applies it to its {@code HttpServer}.
 */
package dev.berth.server.tls;
