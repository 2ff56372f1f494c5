package io.slipway.shared.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's only resolver: the addresses it returns are the ones the client connects to, and each was
 * checked by the policy in the same call, so no second lookup sits between the check and the connection.
 */
final class PolicyDnsResolver implements DnsResolver {
    /** Carries a refusal through the resolver's {@code UnknownHostException} signature. */
    static final class Refused extends UnknownHostException {
        final OutboundRefusedException refusal;

        Refused(OutboundRefusedException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }
    }

    private final OutboundPolicy policy;

    PolicyDnsResolver(OutboundPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return policy.resolve(host);
        } catch (OutboundRefusedException e) {
            throw new Refused(e);
        }
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return Arrays.stream(resolve(host)).map(a -> new InetSocketAddress(a, port)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host; // never used for connecting; no reverse lookups on a user's names
    }
}
