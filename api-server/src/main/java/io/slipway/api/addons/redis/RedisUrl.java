package io.slipway.api.addons.redis;

import java.net.URI;

/**
 * REDIS_URL, {@code redis://default:PASSWORD@HOST:PORT}. Heroku leaves the user name empty; Slipway names Redis's
 * {@code default} user (the tenant's) because the stack's {@code redis-cli -u} (7.0) sends an empty user name as
 * {@code AUTH "" PASSWORD} and is refused, while every client library takes either form. The password is URL-safe
 * (hex), so it needs no escaping.
 */
public record RedisUrl(String host, int port, String password) {

    public static RedisUrl parse(String url) {
        URI uri = URI.create(url);
        String userInfo = uri.getRawUserInfo();
        if (!"redis".equals(uri.getScheme()) || userInfo == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("not a redis://[user]:password@host:port URL");
        }
        String password = userInfo.substring(userInfo.indexOf(':') + 1);
        return new RedisUrl(uri.getHost(), uri.getPort(), password);
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "redis://default:" + password + "@" + h + ":" + port;
    }
}
