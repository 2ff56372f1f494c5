package io.slipway.api.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Writes an error body from a servlet filter, where the MVC exception handler does not reach. */
@Component
public class ErrorWriter {
    private final ObjectMapper mapper;

    public ErrorWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void write(HttpServletResponse response, ApiException e) throws IOException {
        response.setStatus(e.status().value());
        response.setContentType("application/json");
        if (e.status().value() == 401) response.setHeader("WWW-Authenticate", "Bearer realm=\"Slipway\"");
        response.getOutputStream().write(mapper.writeValueAsBytes(ErrorBody.of(e)));
    }
}
