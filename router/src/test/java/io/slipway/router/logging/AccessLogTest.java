package io.slipway.router.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.slipway.router.errors.HerokuError;
import io.slipway.shared.json.Json;
import io.slipway.shared.logs.LogShipper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AccessLogTest {
    private static final String INFO_LINE = "at=info method=POST path=\"/caf\u00e9?q=\u2603&x=%22\" host=demo.example.com"
            + " request_id=8601b555-6a76-4f6e-b4b1-1f9a8e0b3c1d fwd=\"203.0.113.7\" dyno=web.2 connect=0ms"
            + " service=12ms status=201 bytes=5120 protocol=https";
    private static final String ERROR_LINE = "at=error code=H14 desc=\"No web processes running\" method=GET"
            + " path=\"/a%22b%0Ac\" host=demo.localhost request_id=rid fwd=\"127.0.0.1\" dyno= connect= service="
            + " status=503 bytes= protocol=http";

    private static AccessLog.Entry info(UUID app) {
        return new AccessLog.Entry(app, null, "POST", "/caf\u00e9?q=\u2603&x=%22", "demo.example.com",
                "8601b555-6a76-4f6e-b4b1-1f9a8e0b3c1d", "203.0.113.7", "web.2", 0, 12, 201, 5120, "https");
    }

    private static AccessLog.Entry error(UUID app) {
        return new AccessLog.Entry(app, HerokuError.H14, "GET", "/a\"b\nc", "demo.localhost", "rid", "127.0.0.1",
                null, -1, -1, 503, -1, "http");
    }

    @Test
    void errorLinesCarryCodeAndDescriptionAndPathsStayOneQuotedToken() {
        assertEquals(ERROR_LINE, AccessLog.format(error(UUID.randomUUID())));
        assertEquals(INFO_LINE, AccessLog.format(info(UUID.randomUUID())));
    }

    /**
     * What reaches the api-server is the line {@code heroku logs} showed before the line was written on the
     * shipper's thread: the same text, for the routed app, as heroku/router, in the order of the requests.
     */
    @Test
    void theShippedLineIsTheRouterLineTextForTheRoutedApp() throws Exception {
        List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/logs", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (Object line : Json.array(Json.parseObject(body).get("lines"))) received.add(Json.object(line));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        UUID app = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        try (LogShipper shipper = new LogShipper(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "t", HttpClient.newHttpClient())) {
            AccessLog log = new AccessLog(shipper);
            log.log(info(app));
            log.log(error(null)); // no app: no app log to put it in
            log.log(error(other));
            log.log(error(app));
        } finally {
            server.stop(0);
        }
        assertEquals(3, received.size());
        assertEquals(List.of(INFO_LINE, ERROR_LINE, ERROR_LINE), received.stream().map(l -> l.get("message")).toList());
        assertEquals(List.of(app.toString(), other.toString(), app.toString()),
                received.stream().map(l -> l.get("app_id")).toList());
        for (Map<String, Object> l : received) {
            assertEquals("heroku", l.get("source"));
            assertEquals("router", l.get("dyno"));
        }
    }
}
