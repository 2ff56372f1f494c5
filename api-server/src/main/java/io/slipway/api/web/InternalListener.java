package io.slipway.api.web;

import io.slipway.api.ApiServerConfig;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * The internal API's own listener: a second Tomcat connector on {@code slipway.internal.bind}:
 * {@code slipway.internal.port}, beside the public one; plain HTTP, or HTTPS with {@code slipway.internal.certificate}
 * and {@code .private-key}. Which listener a request arrived on is told by the local
 * port of its socket ({@link #arrivedOn}), which a client cannot choose by spelling a path or a Host header;
 * {@link ListenerGuard}, {@link InternalAuthFilter} and {@link AuthFilter} decide by it.
 */
@Component
public class InternalListener implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private final ApiServerConfig.Internal settings;
    private volatile Connector connector;

    public InternalListener(ApiServerConfig config, @Value("${server.port:8080}") int publicPort) {
        this.settings = config.internal();
        if (settings.port() < 0 || settings.port() > 65535) {
            throw new IllegalStateException("slipway.internal.port must be a port number (0: any free port)");
        }
        boolean halfTls = (settings.certificate() == null || settings.certificate().isBlank())
                != (settings.privateKey() == null || settings.privateKey().isBlank());
        if (halfTls) {
            throw new IllegalStateException("slipway.internal.certificate and slipway.internal.private-key go together");
        }
        if (settings.port() != 0 && settings.port() == publicPort) {
            throw new IllegalStateException("slipway.internal.port (" + settings.port() + ") must differ from "
                    + "server.port: the internal API has its own listener");
        }
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        Connector c = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        c.setPort(settings.port());
        c.setProperty("address", settings.bind());
        // SSH key fingerprints hold '/', percent-encoded in one path segment (as on the public connector)
        c.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
        c.setURIEncoding("UTF-8");
        if (settings.tls()) {
            SSLHostConfig ssl = new SSLHostConfig();
            SSLHostConfigCertificate certificate =
                    new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateFile(settings.certificate());
            certificate.setCertificateKeyFile(settings.privateKey());
            ssl.addCertificate(certificate);
            c.addSslHostConfig(ssl);
            c.setScheme("https");
            c.setSecure(true);
            c.setProperty("SSLEnabled", "true");
        }
        factory.addAdditionalConnectors(c);
        connector = c;
    }

    /** The port the internal listener accepts on (the chosen one when configured as 0); -1 before it started. */
    public int localPort() {
        Connector c = connector;
        return c == null ? -1 : c.getLocalPort();
    }

    /**
     * Whether {@code request} came in on the internal listener: its socket's local port is the internal
     * connector's. The two ports always differ (checked at startup; two port-0 listeners get distinct ports).
     */
    public boolean arrivedOn(HttpServletRequest request) {
        int port = localPort();
        return port > 0 && request.getLocalPort() == port;
    }
}
