package io.slipway.shared.sandbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A platform service sandboxes may connect to although it lives on the host or on a denied network: an add-on
 * server (the apps' PostgreSQL, the Redis instances). Only these TCP ports of this one address are opened;
 * what the service lets a connection do is its own business (each add-on has its own credentials).
 *
 * @param address  dotted IPv4 (a host name is resolved once, when parsed)
 * @param fromPort first port
 * @param toPort   last port (the same as {@code fromPort} for one port)
 */
public record ServiceEndpoint(String address, int fromPort, int toPort) {
    public ServiceEndpoint {
        Cidr.address(address, "service address");
        if (fromPort < 1 || toPort > 65535 || toPort < fromPort) {
            throw new IllegalArgumentException("bad service port range " + fromPort + "-" + toPort);
        }
    }

    /** {@code host:port} or {@code host:port-port}, comma separated; blank gives none. */
    public static List<ServiceEndpoint> parseList(String text) {
        List<ServiceEndpoint> endpoints = new ArrayList<>();
        if (text == null) return endpoints;
        for (String item : text.split(",")) {
            if (!item.isBlank()) endpoints.add(parse(item.trim()));
        }
        return endpoints;
    }

    public static ServiceEndpoint parse(String item) {
        int colon = item.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("a service must be host:port or host:port-port, not " + item);
        String host = item.substring(0, colon);
        String ports = item.substring(colon + 1);
        String address;
        try {
            address = InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the service host " + host);
        }
        try {
            int dash = ports.indexOf('-');
            if (dash < 0) {
                int port = Integer.parseInt(ports);
                return new ServiceEndpoint(address, port, port);
            }
            return new ServiceEndpoint(address, Integer.parseInt(ports.substring(0, dash)),
                    Integer.parseInt(ports.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad service ports in " + item);
        }
    }

    /** The nftables set element: {@code 10.0.0.5 . 5432} or {@code 10.0.0.5 . 6400-6999}. */
    String nftElement() {
        return address + " . " + (fromPort == toPort ? String.valueOf(fromPort) : fromPort + "-" + toPort);
    }

    @Override
    public String toString() {
        return address + ":" + (fromPort == toPort ? String.valueOf(fromPort) : fromPort + "-" + toPort);
    }
}
