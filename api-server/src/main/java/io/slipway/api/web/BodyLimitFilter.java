package io.slipway.api.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.shared.net.Sizes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The public API's request body limit (1 MiB by default: every Platform API body is small JSON). A declared
 * {@code Content-Length} past it is refused before anything is read; a chunked body is read up to the limit and
 * refused once it passes it, so no handler ever holds more. Answers 413 {@code request_entity_too_large}. Git
 * pushes never get here (the git front door streams them to the git-gateway, which caps packs itself), nor does
 * the internal API (the platform's own components, with their own limits).
 */
@Component
@Order(7)
public class BodyLimitFilter extends OncePerRequestFilter {
    private final long maxBytes;
    private final ErrorWriter errors;
    private final InternalListener internalListener;

    public BodyLimitFilter(ApiServerConfig config, ErrorWriter errors, InternalListener internalListener) {
        this.maxBytes = config.limits().maxBodyBytes();
        this.errors = errors;
        this.internalListener = internalListener;
    }

    /** Decided by the listener the request arrived on, as the other filters do, never by how its path is spelled. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return internalListener.arrivedOn(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(response);
            return;
        }
        if (declared >= 0 || hasNoBody(request)) { // the container stops reading at the declared length
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            refuse(response);
            return;
        }
        chain.doFilter(new Buffered(request, body), response);
    }

    /**
     * An HTTP/1 request with neither a length nor chunked encoding has no body (RFC 9112, 6.3): most GETs. Reading
     * it anyway cost an 8 KiB buffer and a wrapper per call. Other protocols (HTTP/2 frames a body without either
     * header) are still read up to the limit.
     */
    private static boolean hasNoBody(HttpServletRequest request) {
        return request.getProtocol().startsWith("HTTP/1.") && request.getHeader("Transfer-Encoding") == null;
    }

    private void refuse(HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close"); // the rest of the body is not read
        errors.write(response, ApiErrors.tooLarge("The request body is larger than the " + Sizes.describe(maxBytes)
                + " this API accepts."));
    }

    /** A chunked body, read already (it fit), handed on as if it were still to read. */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override public boolean isFinished() { return in.available() == 0; }
                @Override public boolean isReady() { return true; }
                @Override public void setReadListener(ReadListener listener) { throw new UnsupportedOperationException(); }
                @Override public int read() { return in.read(); }
                @Override public int read(byte[] b, int off, int len) { return in.read(b, off, len); }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() { return body.length; }

        @Override
        public long getContentLengthLong() { return body.length; }
    }
}
