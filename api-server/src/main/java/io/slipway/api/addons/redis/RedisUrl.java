package io.slipway.api.addons.redis;

import java.net.URI;

/**
 * Heroku's REDIS_URL shape, {@code redis://:PASSWORD@HOST:PORT}: no user name, so clients send {@code AUTH
 * PASSWORD}, which Redis applies to its {@code default} user (the tenant's). The password is URL-safe
 * (hex), so it needs no escaping.
 */
public record RedisUrl(String host, int port, String password) {

    public static RedisUrl parse(String url) {
        URI uri = URI.create(url);
        String userInfo = uri.getRawUserInfo();
        if (!"redis".equals(uri.getScheme()) || userInfo == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("not a redis://:password@host:port URL");
        }
        String password = userInfo.substring(userInfo.indexOf(':') + 1);
        return new RedisUrl(uri.getHost(), uri.getPort(), password);
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "redis://:" + password + "@" + h + ":" + port;
    }
}
