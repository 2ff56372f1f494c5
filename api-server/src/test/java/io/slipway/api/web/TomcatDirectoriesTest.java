package io.slipway.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Replica;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

/**
 * Tomcat's base directory and document root are the api-server's own: under {@code slipway.work-dir} when it has
 * one (the same at every start), else one temporary directory that goes when the api-server stops. Left to
 * Spring, every start made a {@code /tmp/tomcat.*} and a {@code /tmp/tomcat-docbase.*} that stayed.
 */
class TomcatDirectoriesTest extends ApiTest {
    @Test
    void withAWorkDirTomcatsFilesAreBelowItAtEveryStart(@TempDir Path work) throws Exception {
        for (int start = 0; start < 2; start++) {
            try (Replica r = Replica.start("--slipway.work-dir=" + work)) {
                r.call("GET", "/health").send();
                assertThat(catalinaBase(r)).isEqualTo(work.resolve("tomcat/base").toRealPath());
                assertThat(docBase(r)).isEqualTo(work.resolve("tomcat/docbase").toRealPath());
            }
        }
        try (var files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("tomcat");
        }
    }

    @Test
    void withoutOneTheyAreInATemporaryDirectoryDeletedAtStop() throws Exception {
        Path root;
        try (Replica r = Replica.start("--slipway.work-dir=")) {
            r.call("GET", "/health").send();
            root = r.context().getBean(TomcatDirectories.class).root();
            assertThat(root.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
            assertThat(catalinaBase(r)).startsWith(root.toRealPath());
            assertThat(docBase(r)).startsWith(root.toRealPath());
            assertThat(Files.isDirectory(root.resolve("base/work"))).as("Tomcat's work directory").isTrue();
        }
        assertThat(root).doesNotExist();
    }

    private static Tomcat tomcat(Replica r) {
        var web = ((ServletWebServerApplicationContext) r.context()).getWebServer();
        return ((TomcatWebServer) web).getTomcat();
    }

    private static Path catalinaBase(Replica r) throws Exception {
        return tomcat(r).getServer().getCatalinaBase().toPath().toRealPath();
    }

    private static Path docBase(Replica r) throws Exception {
        Context context = (Context) tomcat(r).getHost().findChildren()[0];
        return Path.of(context.getDocBase()).toRealPath();
    }
}
