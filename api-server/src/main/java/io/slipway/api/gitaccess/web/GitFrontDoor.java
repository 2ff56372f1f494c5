package io.slipway.api.gitaccess.web;

import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ErrorWriter;
import io.slipway.api.web.InternalListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Git over HTTPS on the API's own TLS listener. The stock CLI always sets the git remote to
 * {@code https://<API host:port>/<app>.git}, so requests for {@code /<app>.git/...} are passed, unchanged and
 * streamed both ways, to the git-gateway ({@code slipway.git-gateway-url}). The gateway authenticates them
 * itself (Basic, API key as password) and answers 401 with {@code WWW-Authenticate: Basic} so git asks its
 * credential helper; hence this filter runs before {@code AuthFilter}, which would demand a Bearer token.
 * Bodies are streamed, not buffered: a push uploads a whole pack, and its response stays open while the
 * build runs, carrying the build output as it is written. Only on the public listener: the internal one serves
 * the internal API and nothing else.
 */
@Component
@Order(5)
public class GitFrontDoor extends OncePerRequestFilter {
    static final Pattern GIT_PATH = Pattern.compile("^/[a-z][a-z0-9-]{1,28}[a-z0-9]\\.git(/.*)?$");
    /** Connection-level headers (RFC 9110 7.6.1), which end at each hop. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");
    /** ... plus those java.net.http sets itself and refuses to take from the caller. */
    private static final Set<String> NOT_SENT = Set.of("host", "content-length", "expect");
    private static final Logger log = LoggerFactory.getLogger(GitFrontDoor.class);
    private final URI gateway;
    private final HttpClient http;
    private final ErrorWriter errors;
    private final InternalListener internalListener;

    public GitFrontDoor(@Value("${slipway.git-gateway-url:}") String gatewayUrl, ErrorWriter errors,
                        InternalListener internalListener) {
        this.internalListener = internalListener;
        this.gateway = gatewayUrl == null || gatewayUrl.isBlank() ? null
                : URI.create(gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl);
        this.errors = errors;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return internalListener.arrivedOn(request) || !GIT_PATH.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (gateway == null) {
            errors.write(response, ApiErrors.notFoundPath());
            return;
        }
        HttpResponse<InputStream> upstream;
        try {
            upstream = http.send(forward(request), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            log.warn("git-gateway at {} is not reachable: {}", gateway, e.toString());
            if (!response.isCommitted()) {
                errors.write(response, ApiErrors.unavailable("The git service is not reachable right now; try again shortly."));
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (InputStream body = upstream.body()) {
            response.setStatus(upstream.statusCode());
            upstream.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (HOP_BY_HOP.contains(lower) || lower.startsWith(":")) return;
                for (String v : values) response.addHeader(name, v);
            });
            copy(body, response.getOutputStream());
        }
    }

    private HttpRequest forward(HttpServletRequest request) {
        String query = request.getQueryString();
        URI target = URI.create(gateway + request.getRequestURI() + (query == null ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).expectContinue(false);
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || NOT_SENT.contains(lower)) continue;
            for (String value : Collections.list(request.getHeaders(name))) b.header(name, value);
        }
        b.header("X-Forwarded-For", request.getRemoteAddr());
        b.header("X-Forwarded-Proto", request.getScheme());
        String host = request.getHeader("Host");
        if (host != null) b.header("X-Forwarded-Host", host);
        long length = request.getContentLengthLong();
        boolean hasBody = length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
        HttpRequest.BodyPublisher body;
        if (!hasBody) {
            body = HttpRequest.BodyPublishers.noBody();
        } else {
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return request.getInputStream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            body = length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        }
        return b.method(request.getMethod(), body).build();
    }

    /** Copies as bytes arrive and flushes each time: git shows build output while it is produced. */
    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (n == 0) continue;
            out.write(buffer, 0, n);
            out.flush();
        }
    }
}
