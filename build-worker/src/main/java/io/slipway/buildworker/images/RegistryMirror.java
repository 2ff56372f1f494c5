package io.slipway.buildworker.images;

import io.slipway.shared.config.EnvSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The registry a worker pulls {@code FROM} images from that are not platform base images: a Docker registry (for
 * example a Docker Hub pull-through cache) at {@code host[:port]}. It is the only registry the worker ever
 * contacts; tenants cannot name another.
 *
 * @param host {@code host[:port]} ({@code SLIPWAY_REGISTRY_MIRROR}); HTTPS, trusted through the system's CAs plus
 *        the platform CA ({@code SLIPWAY_CA_FILE})
 * @param insecure plain HTTP (or HTTPS without verification) instead ({@code SLIPWAY_REGISTRY_MIRROR_INSECURE=true});
 *        only for a mirror on loopback, where no one else sits on the path
 * @param authFile a containers-auth.json with the worker's credentials for the mirror
 *        ({@code SLIPWAY_REGISTRY_MIRROR_AUTH_FILE}, optional); every build uses the same ones
 */
public record RegistryMirror(String host, boolean insecure, Path authFile) {
    private static final Pattern HOST = Pattern.compile(
            "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?");

    public RegistryMirror {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("SLIPWAY_REGISTRY_MIRROR must be host[:port] (no scheme, no path), not '"
                    + host + "'");
        }
        if (insecure && !loopback(host)) {
            throw new IllegalArgumentException("SLIPWAY_REGISTRY_MIRROR_INSECURE is only allowed for a mirror on "
                    + "loopback (localhost or 127.x.x.x); give " + host + " a certificate (SLIPWAY_CA_FILE trusts the platform CA)");
        }
    }

    /** The mirror the environment names, or null when {@code SLIPWAY_REGISTRY_MIRROR} is unset. */
    public static RegistryMirror fromEnv(Map<String, String> env) {
        String host = EnvSettings.text(env, "SLIPWAY_REGISTRY_MIRROR", null);
        if (host == null) return null;
        String insecure = EnvSettings.text(env, "SLIPWAY_REGISTRY_MIRROR_INSECURE", "false");
        if (!insecure.equals("true") && !insecure.equals("false")) {
            throw new IllegalArgumentException("SLIPWAY_REGISTRY_MIRROR_INSECURE must be true or false, not '" + insecure + "'");
        }
        return new RegistryMirror(host, insecure.equals("true"), EnvSettings.path(env, "SLIPWAY_REGISTRY_MIRROR_AUTH_FILE"));
    }

    /** The host without its port. */
    public String hostName() {
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static boolean loopback(String host) {
        String name = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        return name.equals("localhost") || name.matches("127(\\.[0-9]{1,3}){3}");
    }
}
