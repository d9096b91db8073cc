package dev.berth.server.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A TLS server on 127.0.0.1 that answers every request with the HTTP protocol it was made over,
 * and the clients the tests reach it with.
 */
final class Loopback {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Loopback() {
    }

    /** What one handshake showed the client. */
    record Handshake(List<X509Certificate> chain, String applicationProtocol) {
        X509Certificate certificate() {
            return chain.get(0);
        }
    }

    static DisposableServer serve(Tls tls) {
        HttpServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> response.sendString(Mono.just(request.protocol())));
        return tls.apply(server).bindNow(TIMEOUT);
    }

    /** A client context trusting only {@code anchors}, with a session cache of its own. */
    static SSLContext trusting(X509Certificate... anchors) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                trusted.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK client; each one keeps its own connections, so a new client means a new connection. */
    static HttpClient client(HttpClient.Version version, SSLContext context) {
        return HttpClient.newBuilder()
                .version(version)
                .sslContext(context)
                .connectTimeout(TIMEOUT)
                .build();
    }

    static HttpResponse<String> get(HttpClient client, DisposableServer server) {
        URI uri = URI.create("https://127.0.0.1:" + server.port() + "/v2/");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server certificate a request on a new connection sees. */
    static X509Certificate certificateOnNewConnection(DisposableServer server, SSLContext context) {
        return peerCertificate(get(client(HttpClient.Version.HTTP_2, context), server));
    }

    static X509Certificate peerCertificate(HttpResponse<?> response) {
        SSLSession session = response.sslSession().orElseThrow();
        try {
            return (X509Certificate) session.getPeerCertificates()[0];
        } catch (SSLPeerUnverifiedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A bare TLS handshake offering h2 and http/1.1, sending {@code serverName} as SNI or, when it
     * is null, no SNI at all.
     */
    static Handshake handshake(DisposableServer server, SSLContext context, String serverName) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()),
                    (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(
                    serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();

            List<X509Certificate> chain = Arrays.stream(socket.getSession().getPeerCertificates())
                    .map(X509Certificate.class::cast)
                    .collect(Collectors.toList());
            return new Handshake(chain, socket.getApplicationProtocol());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
