package io.slipway.launcher;

import io.slipway.api.ApiServerApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the api-server inside the launcher's JVM. Its settings are passed as command-line arguments, the
 * highest-precedence property source, so they win over the api-server's own application.properties and over
 * stray SPRING_* / SLIPWAY_* variables of the user's shell. No Spring shutdown hook: the launcher stops the
 * api-server itself, before the database it uses.
 */
public final class ApiServerRunner {
    private ApiServerRunner() {}

    /** The Platform API over HTTPS on 127.0.0.1. */
    public static ConfigurableApplicationContext startWeb(LauncherConfig config, EmbeddedDatabase db,
                                                          LocalCertificateAuthority.TlsFiles tls,
                                                          EmbeddedObjectStore.Coordinates s3, int internalPort,
                                                          String internalTokens, String gitGatewayUrl, int routerPort,
                                                          int rendezvousPort, Path secretsKeyFile,
                                                          Map<String, String> addonSettings) {
        Map<String, String> p = database(db, secretsKeyFile);
        p.put("server.address", LauncherConfig.HOST);
        p.put("server.port", String.valueOf(config.apiPort()));
        p.put("server.ssl.certificate", "file:" + tls.serverCert());
        p.put("server.ssl.certificate-private-key", "file:" + tls.serverKey());
        p.put("slipway.public-url", config.publicUrl());
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
        return run(WebApplicationType.SERVLET, p);
    }

    /** The api-server's beans without a web server: for {@code users:create} while the platform is stopped. */
    public static ConfigurableApplicationContext startOffline(EmbeddedDatabase db, Path secretsKeyFile) {
        Map<String, String> p = database(db, secretsKeyFile);
        p.put("spring.main.web-application-type", "none");
        return run(WebApplicationType.NONE, p);
    }

    private static Map<String, String> database(EmbeddedDatabase db, Path secretsKeyFile) {
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

    private static ConfigurableApplicationContext run(WebApplicationType type, Map<String, String> properties) {
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        return new SpringApplicationBuilder(ApiServerApplication.class)
                .web(type)
                .registerShutdownHook(false)
                .logStartupInfo(false)
                .run(args.toArray(String[]::new));
    }
}
