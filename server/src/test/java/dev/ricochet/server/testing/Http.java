package dev.ricochet.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain JDK HTTP calls to a server under test. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    public static HttpResponse<String> get(InetSocketAddress server, String path) throws IOException, InterruptedException {
        return send(server, path, "GET", null);
    }

    public static HttpResponse<String> send(InetSocketAddress server, String path, String method, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            request.header("Accept", accept);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static URI uri(InetSocketAddress server, String path) {
        return URI.create("http://" + server.getAddress().getHostAddress() + ":" + server.getPort() + path);
    }
}
