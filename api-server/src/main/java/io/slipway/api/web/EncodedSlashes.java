package io.slipway.api.web;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.stereotype.Component;

/**
 * Some identities in paths contain {@code /}: log drain URLs ({@code heroku drains:remove} sends
 * {@code /apps/x/log-drains/https%3A%2F%2Fhost%2Fdrain}) and SSH key fingerprints ({@code SHA256:ab/cd}).
 * Tomcat refuses an encoded slash by default (400 before any filter runs); passing it through undecoded keeps
 * it inside one path segment, and Spring decodes the segment into the {@code @PathVariable}. Decoding it into
 * a real {@code /} instead would split the segment and break routing.
 */
@Component
public class EncodedSlashes implements TomcatConnectorCustomizer {
    @Override
    public void customize(org.apache.catalina.connector.Connector connector) {
        connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }
}
