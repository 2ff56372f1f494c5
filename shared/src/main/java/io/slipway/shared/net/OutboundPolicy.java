package io.slipway.shared.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the platform may connect on a user's behalf (log drains, {@code source_blob.url}, buildpack URLs).
 * A host is resolved once, every address it resolves to is checked, and the caller connects to exactly those
 * addresses (never to the name again, so a DNS answer that changes between the check and the connection, DNS
 * rebinding, cannot slip through). Refused: loopback, link-local (cloud metadata at 169.254.169.254 included),
 * private and CGNAT ranges, unspecified, multicast, broadcast and reserved addresses, IPv6 forms that embed a
 * refused IPv4 address, and every address of this host's own interfaces (the platform's own ports). The
 * operator may allow ranges with {@code SLIPWAY_OUTBOUND_ALLOW=cidr,cidr} (a drain collector on the private
 * network, or loopback in tests).
 */
public final class OutboundPolicy {
    public static final String ALLOW_ENV = "SLIPWAY_OUTBOUND_ALLOW";

    private static final List<Cidr> REFUSED = Arrays.stream(new String[] {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"})
            .map(Cidr::parse).toList();
    /** Written in some other way than four decimal numbers: {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}. */
    private static final Pattern NUMERIC_HOST =
            Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final long OWN_ADDRESSES_TTL_MILLIS = 60_000;

    private final List<Cidr> allowed;
    private volatile Set<InetAddress> ownAddresses = Set.of();
    private volatile long ownAddressesAt;

    public OutboundPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** The policy with the ranges of {@code cidrs} (comma-separated; blank: none) allowed. */
    public static OutboundPolicy allowing(String cidrs) {
        List<Cidr> list = new ArrayList<>();
        if (cidrs != null) {
            for (String part : cidrs.split(",")) if (!part.isBlank()) list.add(Cidr.parse(part));
        }
        return new OutboundPolicy(list);
    }

    /** The policy the operator set in {@link #ALLOW_ENV}. */
    public static OutboundPolicy fromEnv(Map<String, String> env) {
        try {
            return allowing(env.get(ALLOW_ENV));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ALLOW_ENV + ": " + e.getMessage(), e);
        }
    }

    public List<Cidr> allowed() {
        return allowed;
    }

    /**
     * Resolves {@code host} (a name, a dotted-quad or a bracketed IPv6 literal) and checks every address.
     * Connect to one of the returned addresses, never to {@code host} again.
     *
     * @throws OutboundRefusedException when the host is written in an ambiguous numeric form or any of its
     *                                  addresses is refused (one refused address refuses the name: the
     *                                  resolver could hand out either)
     * @throws UnknownHostException     when the name does not resolve
     */
    public InetAddress[] resolve(String host) throws UnknownHostException, OutboundRefusedException {
        if (host == null || host.isBlank()) throw new OutboundRefusedException("The URL has no host name.");
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (NUMERIC_HOST.matcher(h).matches() && !DOTTED_QUAD.matcher(h).matches()) {
            throw new OutboundRefusedException("The host " + host + " is a numeric address in an unusual form; write it as "
                    + "four decimal numbers (a.b.c.d).");
        }
        if (h.contains("%")) throw new OutboundRefusedException("The host " + host + " names a network interface.");
        InetAddress[] addresses = InetAddress.getAllByName(h);
        for (InetAddress a : addresses) check(host, a);
        return addresses;
    }

    /** Like {@link #resolve} when the caller has an address already (a literal, or one it resolved itself). */
    public void check(String shownHost, InetAddress address) throws OutboundRefusedException {
        String why = whyRefused(address);
        if (why != null) {
            String shown = shownHost == null || shownHost.equals(address.getHostAddress())
                    ? address.getHostAddress() : shownHost + " (" + address.getHostAddress() + ")";
            throw new OutboundRefusedException("The address " + shown + " is refused: " + why
                    + ". Slipway does not connect to internal addresses on a user's behalf.");
        }
    }

    /** Why the platform may not connect to {@code address}, or null when it may. */
    public String whyRefused(InetAddress address) {
        for (Cidr c : allowed) if (c.contains(address)) return null;
        InetAddress v4 = embeddedIpv4(address);
        if (v4 != null) {
            for (Cidr c : allowed) if (c.contains(v4)) return null;
            String why = whyRefused(v4);
            if (why != null) return why + " (inside an IPv6 address)";
        }
        if (address.isLoopbackAddress()) return "it is a loopback address";
        if (address.isLinkLocalAddress()) return "it is a link-local address (cloud metadata lives there)";
        if (address.isAnyLocalAddress()) return "it is the unspecified address";
        if (address.isMulticastAddress()) return "it is a multicast address";
        for (Cidr c : REFUSED) {
            if (c.contains(address)) return "it is in the private or reserved range " + c;
        }
        if (ownAddresses().contains(address)) return "it is an address of the platform's own host";
        return null;
    }

    /** The IPv4 address an IPv6 one carries: mapped ({@code ::ffff:a.b.c.d}), compatible, NAT64, 6to4. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) return null;
        byte[] b = address.getAddress();
        byte[] v4 = null;
        if (allZero(b, 0, 10) && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
            v4 = Arrays.copyOfRange(b, 12, 16); // ::ffff:a.b.c.d and ::a.b.c.d
        } else if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12)) {
            v4 = Arrays.copyOfRange(b, 12, 16); // 64:ff9b::a.b.c.d (NAT64)
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6); // 2002:aabb:ccdd:: (6to4)
        }
        if (v4 == null) return null;
        try {
            return Inet4Address.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    /** The addresses of this host's interfaces, refreshed every minute (interfaces come and go). */
    private Set<InetAddress> ownAddresses() {
        long now = System.currentTimeMillis();
        if (now - ownAddressesAt < OWN_ADDRESSES_TTL_MILLIS) return ownAddresses;
        Set<InetAddress> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    found.add(a instanceof Inet6Address v6 && v6.getScopeId() != 0
                            ? InetAddress.getByAddress(v6.getAddress()) : a);
                }
            }
        } catch (SocketException | UnknownHostException e) {
            // keep the last known set
            return ownAddresses;
        }
        ownAddresses = Set.copyOf(found);
        ownAddressesAt = now;
        return ownAddresses;
    }
}
