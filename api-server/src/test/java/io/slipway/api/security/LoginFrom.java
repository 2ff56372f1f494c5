package io.slipway.api.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code heroku login -i}'s request ({@code POST /oauth/authorizations}, Basic email:password) sent over a
 * plain socket bound to a chosen loopback source address (any of 127.0.0.0/8 works on Linux), so a test can
 * be "one attacker address" or "many addresses" without sharing 127.0.0.1's count with other tests.
 */
final class LoginFrom {
    record Answer(int status, String body, String retryAfter) {}

    private LoginFrom() {}

    /** A loopback address no other test picks (in practice): 127.2xx.x.x. */
    static String freshAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + (200 + r.nextInt(50)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    static Answer login(int port, String sourceAddress, String email, String password) {
        String basic = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
        String body = "{\"description\":\"login\"}";
        String request = "POST /oauth/authorizations HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Accept: application/vnd.heroku+json; version=3\r\n"
                + "Authorization: Basic " + basic + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Connection: close\r\n\r\n" + body;
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String head = response.substring(0, split);
            String retryAfter = null;
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "Retry-After:", 0, 12)) retryAfter = line.substring(12).strip();
            }
            return new Answer(status, response.substring(split + 4), retryAfter);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
