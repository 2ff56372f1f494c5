package io.slipway.shared.sandbox;

import java.util.List;

/**
 * The nftables table of one {@link SandboxNetwork} owner (an agent or a build-worker), named for it alone so
 * that several owners on one host never touch each other's rules, its comment naming the owner's process
 * ({@link TableOwner}). What it enforces, for the sandboxes whose
 * host-side interfaces are {@code <ifacePrefix>*}:
 * <ul>
 *   <li>nothing from a sandbox reaches the host itself (input: only replies of connections the host opened),
 *       except the platform services in the {@code services} set (add-on servers: address and TCP port);</li>
 *   <li>nothing from a sandbox reaches another sandbox of any owner on the host ({@code slpw*}), not even
 *       through a published port;</li>
 *   <li>nothing from a sandbox reaches the denied networks (loopback, link-local/metadata, multicast, the dyno
 *       pool, whatever the operator adds); everything else leaves masqueraded behind the host's address;</li>
 *   <li>into a sandbox only replies and connections to a port published in the {@code web} map
 *       (destination-NAT from any of the host's own addresses, {@code 127.0.0.1} included, to the sandbox's
 *       address on the same port): the router's way in.</li>
 * </ul>
 */
final class NftRuleset {
    /** Every sandbox interface of every owner starts with this, so each table can refuse all of them. */
    static final String ALL_PREFIX = "slpw";

    private NftRuleset() {}

    static String table(String table, String ifacePrefix, Cidr subnet, List<Cidr> denied, List<ServiceEndpoint> services,
                        String comment) {
        StringBuilder open = new StringBuilder();
        for (ServiceEndpoint s : services) open.append(open.length() == 0 ? "" : ", ").append(s.nftElement());
        StringBuilder deny = new StringBuilder();
        for (Cidr c : denied) deny.append(deny.length() == 0 ? "" : ", ").append(c);
        String own = "\"" + ifacePrefix + "*\"";
        String any = "\"" + ALL_PREFIX + "*\"";
        return "table ip " + table + " {\n"
                + "  comment \"" + comment + "\"\n"
                + "  set denied {\n"
                + "    type ipv4_addr; flags interval; auto-merge\n"
                + "    elements = { " + deny + " }\n"
                + "  }\n"
                + "  set services {\n"
                + "    type ipv4_addr . inet_service; flags interval\n"
                + (open.length() == 0 ? "" : "    elements = { " + open + " }\n")
                + "  }\n"
                + "  map web {\n"
                + "    type inet_service : ipv4_addr\n"
                + "  }\n"
                + "  chain prerouting_nat {\n"
                + "    type nat hook prerouting priority dstnat; policy accept;\n"
                + "    fib daddr type local dnat to tcp dport map @web\n"
                + "  }\n"
                + "  chain output_nat {\n"
                + "    type nat hook output priority -100; policy accept;\n"
                + "    fib daddr type local dnat to tcp dport map @web\n"
                + "  }\n"
                + "  chain postrouting_nat {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    ip saddr " + subnet + " oifname != " + any + " masquerade\n"
                // a client on the host's loopback reached a sandbox through the DNAT: give it a routable source
                + "    ip saddr 127.0.0.0/8 oifname " + own + " masquerade\n"
                + "  }\n"
                + "  chain input_filter {\n"
                + "    type filter hook input priority filter; policy accept;\n"
                + "    iifname " + own + " ct state established,related accept\n"
                + "    iifname " + own + " ip daddr . tcp dport @services accept\n"
                + "    iifname " + own + " drop\n"
                + "  }\n"
                + "  chain forward_filter {\n"
                + "    type filter hook forward priority filter; policy accept;\n"
                + "    iifname " + own + " oifname " + any + " drop\n"
                + "    iifname " + own + " ct state established,related accept\n"
                + "    iifname " + own + " ip daddr . tcp dport @services accept\n"
                + "    iifname " + own + " ip daddr @denied drop\n"
                + "    oifname " + own + " ct state established,related accept\n"
                + "    oifname " + own + " ct status dnat accept\n"
                + "    oifname " + own + " drop\n"
                + "  }\n"
                + "}\n";
    }
}
