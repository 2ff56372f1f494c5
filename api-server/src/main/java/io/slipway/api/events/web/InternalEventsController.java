package io.slipway.api.events.web;

import io.slipway.api.events.PlatformSnapshot;
import io.slipway.api.events.TakeSnapshot;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ApiException;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.ErrorWriter;
import io.slipway.api.web.InternalApi;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The internal event stream for the platform's followers (router, dyno-agents), on the internal listener with
 * their component tokens:
 * <ul>
 *   <li>{@code GET /internal/events?after=N}: server-sent events ({@code id: seq}, {@code event: type},
 *       {@code data:} {@link EventJson}), every event after N and then new ones as they commit, with
 *       {@code : keepalive} comments every 15 s. {@code Last-Event-ID} (an EventSource reconnecting) wins
 *       over {@code after}.</li>
 *   <li>{@code GET /internal/events?after=N&wait=S}: long poll; a JSON array of up to 1000 events after N,
 *       answered as soon as there is one, or {@code []} after S seconds (0..60).</li>
 *   <li>{@code GET /internal/snapshot}: {@link PlatformSnapshot}, to (re)build state before following.</li>
 * </ul>
 */
@RestController
@InternalApi({ComponentRole.ROUTER, ComponentRole.AGENT})
public class InternalEventsController {
    static final long MAX_WAIT_SECONDS = 60;
    private final EventFollowers followers;
    private final TakeSnapshot takeSnapshot;
    private final ErrorWriter errors;

    public InternalEventsController(EventFollowers followers, TakeSnapshot takeSnapshot, ErrorWriter errors) {
        this.followers = followers;
        this.takeSnapshot = takeSnapshot;
        this.errors = errors;
    }

    @GetMapping(value = "/internal/events", params = "!wait")
    public SseEmitter stream(@RequestParam(required = false) String after,
                             @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
                             HttpServletResponse response) throws IOException {
        long from;
        try {
            from = lastEventId != null && !lastEventId.isBlank() ? position("Last-Event-ID", lastEventId)
                    : position("after", after);
        } catch (ApiException e) {
            // Written here: the client asked for text/event-stream, which the JSON error handler cannot produce.
            errors.write(response, e);
            return null;
        }
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // tell nginx-style proxies not to buffer the stream
        return followers.stream(from);
    }

    @GetMapping(value = "/internal/events", params = "wait")
    public DeferredResult<List<EventJson>> poll(@RequestParam(required = false) String after,
                                                @RequestParam String wait) {
        long seconds;
        try {
            seconds = Long.parseLong(wait.trim());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
            throw ApiErrors.badRequest("wait must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS + ".");
        }
        return followers.poll(position("after", after), seconds);
    }

    /** Every app's state: the router's alone (agents follow events and read their own assignments). */
    @GetMapping("/internal/snapshot")
    @InternalApi(ComponentRole.ROUTER)
    public PlatformSnapshot snapshot() {
        return takeSnapshot.take();
    }

    private static long position(String name, String value) {
        if (value == null || value.isBlank()) return 0;
        try {
            long seq = Long.parseLong(value.trim());
            if (seq >= 0) return seq;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiErrors.badRequest(name + " must be an event seq (a whole number >= 0).");
    }
}
