package io.slipway.router.errors;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;

/**
 * The HTML pages the router answers itself with, shaped like Heroku's: an "Application error" page for H-codes,
 * a maintenance page, "There's nothing here, yet." for unknown hosts. Bodies are built once and shared
 * and each response wraps the shared bytes (nothing writes to them).
 */
public final class ErrorPages {
    private static final byte[] APPLICATION_ERROR = page("Application Error",
            "An error occurred in the application and your page could not be served. If you are the application"
                    + " owner, check your logs for details. You can do this from the Slipway CLI with the command"
                    + "<br><code>heroku logs --tail</code>");
    private static final byte[] MAINTENANCE = page("Offline for Maintenance",
            "This app is undergoing maintenance right now. Please check back later.");
    private static final byte[] NO_SUCH_APP = page("There's nothing here, yet.",
            "Build something amazing: no app answers to this host name.");
    private static final byte[] STARTING = page("Router starting",
            "The Slipway router has not loaded its route table yet (the api-server is not answering)."
                    + " Please try again in a moment.");

    private ErrorPages() {}

    /** The page for a Heroku error code, with the code's status. */
    public static FullHttpResponse forError(HerokuError error) {
        byte[] body = switch (error) {
            case H80 -> MAINTENANCE;
            case H99 -> STARTING;
            default -> APPLICATION_ERROR;
        };
        return response(HttpResponseStatus.valueOf(error.status()), body);
    }

    public static FullHttpResponse noSuchApp() {
        return response(HttpResponseStatus.NOT_FOUND, NO_SUCH_APP);
    }

    /** 400/414/431 for requests the router could not parse or refuses (Heroku's H25 family). */
    public static FullHttpResponse badRequest(HttpResponseStatus status) {
        return response(status, page(status.reasonPhrase(), "The request could not be handled."));
    }

    /**
     * A request the decoder refused: request line or headers too long (Heroku's H25 family), or malformed; a
     * null cause is a request the router itself finds malformed (400).
     */
    public static FullHttpResponse forDecoderFailure(Throwable cause) {
        return badRequest(cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST);
    }

    private static FullHttpResponse response(HttpResponseStatus status, byte[] body) {
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE + ", " + HttpHeaderValues.NO_STORE);
        return response;
    }

    private static byte[] page(String title, String text) {
        String html = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + title + "</title>\n"
                + "<style>body{margin:0;font-family:Helvetica,Arial,sans-serif;background:#f7f8fb;color:#3f3f44}"
                + "main{max-width:36em;margin:15vh auto;padding:0 1em}h1{font-weight:400;color:#79589f}"
                + "code{background:#ececf3;padding:.1em .3em}</style>\n"
                + "</head>\n<body>\n<main>\n<h1>" + title + "</h1>\n<p>" + text + "</p>\n</main>\n</body>\n</html>\n";
        return html.getBytes(StandardCharsets.UTF_8);
    }
}
