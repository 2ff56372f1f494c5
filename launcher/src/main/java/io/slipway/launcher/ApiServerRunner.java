package io.slipway.launcher;

import io.slipway.api.ApiServerApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.SpringProperties;
import org.springframework.util.ClassUtils;

/**
 * Runs the api-server inside the launcher's JVM. Its settings are passed as command-line arguments, the
 * highest-precedence property source, so they win over the api-server's own application.properties and over
 * stray SPRING_* / SLIPWAY_* variables of the user's shell. No Spring shutdown hook: the launcher stops the
 * api-server itself, before the database it uses.
 *
 * <p>The Spring context may start before its storage has: it waits for {@code storageReady} only when it first
 * needs the database (its data source), so class loading and bean wiring overlap with PostgreSQL's start.
 */
public final class ApiServerRunner {
    private static final Logger log = LoggerFactory.getLogger(ApiServerRunner.class);

    private ApiServerRunner() {}

    /** Where the api-server's PostgreSQL is (known before it has started). */
    public record Database(String jdbcUrl, String user, String password) {
        static Database of(EmbeddedDatabase db) {
            return new Database(db.jdbcUrl(), db.user(), db.password());
        }
    }

    /** The Platform API over HTTPS on 127.0.0.1. */
    public static ConfigurableApplicationContext startWeb(LauncherConfig config, Database db,
                                                          LocalCertificateAuthority.TlsFiles tls,
                                                          EmbeddedObjectStore.Coordinates s3, int internalPort,
                                                          String internalTokens, String gitGatewayUrl, int routerPort,
                                                          int rendezvousPort, Path secretsKeyFile,
                                                          Map<String, String> addonSettings,
                                                          CompletableFuture<?> storageReady) {
        Map<String, String> p = database(db, secretsKeyFile);
        p.put("server.address", LauncherConfig.HOST);
        p.put("server.port", String.valueOf(config.apiPort()));
        p.put("server.ssl.certificate", "file:" + tls.serverCert());
        p.put("server.ssl.certificate-private-key", "file:" + tls.serverKey());
        p.put("slipway.public-url", config.publicUrl());
        // Tomcat's base and document root in the data dir, the same at every start (not a new /tmp/tomcat.*)
        p.put("slipway.work-dir", config.dataDir().resolve("api-server").toString());
        // the internal API on its own loopback listener, one token per in-process component
        p.put("slipway.internal.port", String.valueOf(internalPort));
        p.put("slipway.internal.bind", LauncherConfig.HOST);
        p.put("slipway.internal.tokens", internalTokens);
        // git smart HTTP arrives on this same TLS listener and is forwarded to the in-process git-gateway
        p.put("slipway.git-gateway-url", gitGatewayUrl);
        // web_url of apps: http://<app>.localhost:<router port>/ (curl and browsers resolve *.localhost to loopback)
        p.put("slipway.apps-port", String.valueOf(routerPort));
        // heroku run: the CLI connects to rendezvous://127.0.0.1:<port>/<secret> with TLS (same certificate)
        p.put("slipway.rendezvous.port", String.valueOf(rendezvousPort));
        p.put("slipway.rendezvous.public-host", LauncherConfig.HOST);
        // object storage: the api-server presigns every URL for sources, slugs, caches and repositories
        p.put("slipway.s3.endpoint", s3.endpoint());
        p.put("slipway.s3.bucket", s3.bucket());
        p.put("slipway.s3.access-key", s3.accessKey());
        p.put("slipway.s3.secret-key", s3.secretKey());
        p.put("slipway.s3.region", s3.region());
        // add-on servers (slipway.addons.*), e.g. the apps' PostgreSQL (AppsPostgres#apiServerSettings)
        p.putAll(addonSettings);
        return run(WebApplicationType.SERVLET, p, storageReady, aotWanted());
    }

    /** The api-server's beans without a web server: for {@code users:create} while the platform is stopped. */
    public static ConfigurableApplicationContext startOffline(EmbeddedDatabase db, Path secretsKeyFile) {
        Map<String, String> p = database(Database.of(db), secretsKeyFile);
        p.put("spring.main.web-application-type", "none");
        // classic: the build's AOT initializer is the servlet shape's (its web server and MVC beans)
        return run(WebApplicationType.NONE, p, CompletableFuture.completedFuture(null), false);
    }

    private static Map<String, String> database(Database db, Path secretsKeyFile) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", db.jdbcUrl());
        p.put("spring.datasource.username", db.user());
        p.put("spring.datasource.password", db.password());
        // config vars at rest: the data dir's key file only (a stray SLIPWAY_SECRETS_KEY must not become primary)
        p.put("slipway.secrets.key", "");
        p.put("slipway.secrets.key-file", secretsKeyFile.toString());
        p.put("logging.register-shutdown-hook", "false");
        return p;
    }

    private static ConfigurableApplicationContext run(WebApplicationType type, Map<String, String> properties,
                                                      CompletableFuture<?> storageReady, boolean aot) {
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        // Logging stays the launcher's (its logback.xml): Spring Boot would reset and configure logback again while
        // the storage threads log, losing their lines, and spend time doing it
        if (System.getProperty(LoggingSystem.SYSTEM_PROPERTY) == null) {
            System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        }
        SpringApplicationBuilder app = new SpringApplicationBuilder(ApiServerApplication.class)
                // in AOT mode Spring loads <main class>__ApplicationContextInitializer; deduced, it would be ours
                .main(ApiServerApplication.class)
                .web(type)
                .registerShutdownHook(false)
                .logStartupInfo(false)
                .initializers(context -> context.getBeanFactory().addBeanPostProcessor(awaiting(storageReady)));
        // Spring reads the switch while it builds the context (and when it makes a CGLIB proxy later, where either
        // value works): set for this start only; removing it leaves the -D system property, if any, in force again
        if (aot) log.info("api-server: Spring AOT (bean definitions and proxies generated by the build)");
        synchronized (ApiServerRunner.class) {
            SpringProperties.setProperty(AotDetector.AOT_ENABLED, String.valueOf(aot));
            try {
                return app.run(args.toArray(String[]::new));
            } finally {
                SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
            }
        }
    }

    /**
     * Spring AOT (docs/benchmarks.md, "Spring AOT"): the launcher module's build runs {@code process-aot} for the
     * api-server on this class path and puts the result in {@code target/lib}; {@code up} uses it when it is there
     * unless {@code -Dspring.aot.enabled=false} says otherwise. {@code =true} without it fails, as Spring does.
     */
    static boolean aotWanted() {
        String setting = SpringProperties.getProperty(AotDetector.AOT_ENABLED);
        if (setting != null) return Boolean.parseBoolean(setting);
        return ClassUtils.isPresent(ApiServerApplication.class.getName() + "__ApplicationContextInitializer",
                ApiServerRunner.class.getClassLoader());
    }

    /**
     * Holds back every data source until the storage has started (Flyway, then everything else, connects through
     * it); a storage that failed to start fails the context here, with the storage's own error as the cause.
     */
    private static BeanPostProcessor awaiting(CompletableFuture<?> storageReady) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource) storageReady.join();
                return bean;
            }
        };
    }
}
