package io.slipway.dynoagent.config;

import static io.slipway.shared.config.EnvSettings.text;

import io.slipway.shared.sandbox.Cidr;
import io.slipway.shared.sandbox.ServiceEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the agent sandboxes dynos (see {@code docs/security.md}, "Dyno and build sandbox").
 *
 * @param subnet the pool the agent claims its dynos' /24 from ({@code SLIPWAY_DYNO_SUBNET}, default
 *        {@code 10.213.0.0/16}); dynos may never connect into the whole pool
 * @param denied further networks dynos must not reach, e.g. the platform's internal network with the database
 *        and the other agents ({@code SLIPWAY_DYNO_DENY_CIDRS}, comma separated; loopback, link-local and the
 *        host's own addresses are always denied)
 * @param uidFrom first uid of the range each app gets its own dyno user from ({@code SLIPWAY_DYNO_UID_RANGE},
 *        default {@code 200000-299999})
 * @param uidTo last uid of that range
 * @param services platform services dynos may connect to although they are on the host or a denied network: the
 *        add-on servers ({@code SLIPWAY_SANDBOX_SERVICES}, {@code host:port} or {@code host:port-port}, comma
 *        separated); only those TCP ports of those addresses are opened
 * @param insecureDynos the operator asked for dynos without isolation (plain processes, the process driver;
 *        {@code SLIPWAY_INSECURE_DYNOS=1}, {@code slipway up --insecure-dynos})
 */
public record SandboxSettings(Cidr subnet, List<Cidr> denied, List<ServiceEndpoint> services, int uidFrom, int uidTo,
                              boolean insecureDynos) {
    public SandboxSettings {
        denied = List.copyOf(denied);
        services = List.copyOf(services);
        if (uidFrom < 1000 || uidTo < uidFrom) {
            throw new IllegalArgumentException("SLIPWAY_DYNO_UID_RANGE must be like 200000-299999 (above 999)");
        }
    }

    public static SandboxSettings defaults() {
        return fromEnv(Map.of());
    }

    public static SandboxSettings fromEnv(Map<String, String> env) {
        Cidr subnet = parse("SLIPWAY_DYNO_SUBNET", text(env, "SLIPWAY_DYNO_SUBNET", "10.213.0.0/16"));
        if (subnet.prefix() > 29) throw new IllegalArgumentException("SLIPWAY_DYNO_SUBNET is too small: " + subnet);
        List<Cidr> denied = new ArrayList<>();
        for (String c : text(env, "SLIPWAY_DYNO_DENY_CIDRS", "").split(",")) {
            if (!c.isBlank()) denied.add(parse("SLIPWAY_DYNO_DENY_CIDRS", c));
        }
        String range = text(env, "SLIPWAY_DYNO_UID_RANGE", "200000-299999");
        String[] uids = range.split("-");
        int from;
        int to;
        try {
            from = Integer.parseInt(uids[0].trim());
            to = Integer.parseInt(uids[1].trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("SLIPWAY_DYNO_UID_RANGE must be like 200000-299999, not " + range);
        }
        String insecure = text(env, "SLIPWAY_INSECURE_DYNOS", "0").toLowerCase();
        List<ServiceEndpoint> services;
        try {
            services = ServiceEndpoint.parseList(text(env, "SLIPWAY_SANDBOX_SERVICES", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SLIPWAY_SANDBOX_SERVICES: " + e.getMessage());
        }
        return new SandboxSettings(subnet, denied, services, from, to,
                insecure.equals("1") || insecure.equals("true") || insecure.equals("yes"));
    }

    private static Cidr parse(String key, String value) {
        try {
            return Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }
}
