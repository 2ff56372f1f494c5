package io.slipway.router.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slipway.router.errors.HerokuError;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccessLogTest {
    @Test
    void errorLinesCarryCodeAndDescriptionAndPathsStayOneQuotedToken() {
        String line = AccessLog.format(new AccessLog.Entry(UUID.randomUUID(), HerokuError.H14, "GET",
                "/a\"b\nc", "demo.localhost", "rid", "127.0.0.1", null, -1, -1, 503, -1, "http"));
        assertEquals("at=error code=H14 desc=\"No web processes running\" method=GET path=\"/a%22b%0Ac\""
                + " host=demo.localhost request_id=rid fwd=\"127.0.0.1\" dyno= connect= service= status=503"
                + " bytes= protocol=http", line);
    }
}
