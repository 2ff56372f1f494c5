package io.slipway.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the api-server can be told, in one place. Bound from {@code slipway.*} properties, so
 * from environment variables too: {@code SLIPWAY_APPS_DOMAIN}, {@code SLIPWAY_PUBLIC_URL},
 * {@code SLIPWAY_INTERNAL_TOKEN}, {@code SLIPWAY_RATE_LIMIT_PER_HOUR}... The database comes from the
 * standard {@code SPRING_DATASOURCE_URL/USERNAME/PASSWORD}.
 *
 * @param publicUrl       the URL users reach the API (and git over HTTPS) at; {@code git_url} is built from it
 * @param appsDomain      apps answer at {@code <app>.<appsDomain>}
 * @param appsScheme      scheme of {@code web_url} (the router serves plain HTTP by default)
 * @param appsPort        port of {@code web_url}, or 0 when it is the scheme's default
 * @param internalToken   bearer token that the platform's own components use on {@code /internal/**}
 * @param rateLimitPerHour size of each account's token bucket, refilled over an hour
 * @param defaultStack    stack of new apps
 */
@ConfigurationProperties(prefix = "slipway")
public record ApiServerConfig(
        @DefaultValue("https://127.0.0.1:5443") String publicUrl,
        @DefaultValue("localhost") String appsDomain,
        @DefaultValue("http") String appsScheme,
        @DefaultValue("8080") int appsPort,
        String internalToken,
        @DefaultValue("4500") int rateLimitPerHour,
        @DefaultValue("heroku-24") String defaultStack) {

    /** {@code https://host:port} without a trailing slash. */
    public String publicOrigin() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    public String gitUrl(String appName) {
        return publicOrigin() + "/" + appName + ".git";
    }

    public String defaultHostname(String appName) {
        return appName + "." + appsDomain;
    }

    public String webUrl(String appName) {
        boolean defaultPort = appsPort == 0
                || ("http".equals(appsScheme) && appsPort == 80)
                || ("https".equals(appsScheme) && appsPort == 443);
        return appsScheme + "://" + defaultHostname(appName) + (defaultPort ? "" : ":" + appsPort) + "/";
    }
}
