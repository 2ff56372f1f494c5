package io.slipway.api.web;

import io.slipway.api.ApiServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Where the embedded Tomcat keeps its files. Left to itself it makes {@code /tmp/tomcat.<port>.<random>} and
 * {@code /tmp/tomcat-docbase.<port>.<random>} at every start and never removes them (a day of test runs left
 * hundreds). With {@code slipway.work-dir} both are {@code <work dir>/tomcat/base} and {@code .../docbase}, the same
 * at every start; without it they are in one temporary directory deleted when the api-server stops.
 */
@Component
public class TomcatDirectories implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(TomcatDirectories.class);
    private final String workDir;
    private volatile Path temporary;

    public TomcatDirectories(ApiServerConfig config) {
        this.workDir = config.workDir() == null ? "" : config.workDir().trim();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        try {
            Path root;
            if (workDir.isEmpty()) {
                root = Files.createTempDirectory("slipway-tomcat.");
                temporary = root;
            } else {
                root = Files.createDirectories(Path.of(workDir).toAbsolutePath().resolve("tomcat"));
            }
            // the document root stays empty: the api-server serves no static files
            factory.setBaseDirectory(Files.createDirectories(root.resolve("base")).toFile());
            factory.setDocumentRoot(Files.createDirectories(root.resolve("docbase")).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make Tomcat's directories: " + e.getMessage(), e);
        }
    }

    /** The directory Tomcat's files are in (tests, diagnostics). */
    public Path root() {
        Path t = temporary;
        return t != null ? t : Path.of(workDir).toAbsolutePath().resolve("tomcat");
    }

    /** The context is closing and its web server has stopped: a temporary directory goes. */
    @Override
    public void destroy() {
        Path t = temporary;
        if (t == null) return;
        try {
            FileSystemUtils.deleteRecursively(t);
        } catch (IOException e) {
            LOG.warn("cannot delete Tomcat's temporary directory " + t + ": " + e.getMessage());
        }
    }
}
