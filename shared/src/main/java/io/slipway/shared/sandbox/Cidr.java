package io.slipway.shared.sandbox;

/** An IPv4 network such as {@code 10.213.0.0/16}: parsing, membership and the addresses inside it. */
public record Cidr(int base, int prefix) {
    public Cidr {
        if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("bad prefix length /" + prefix);
        base = base & mask(prefix);
    }

    /** Parses {@code a.b.c.d/n} (a bare address is a /32). */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        int prefix = 32;
        String address = t;
        if (slash >= 0) {
            address = t.substring(0, slash);
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 network: '" + text + "'");
            }
        }
        return new Cidr(address(address, text), prefix);
    }

    public static int address(String dotted, String context) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 network: '" + context + "'");
        int value = 0;
        for (String p : parts) {
            int octet;
            try {
                octet = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 network: '" + context + "'");
            }
            if (octet < 0 || octet > 255) throw new IllegalArgumentException("not an IPv4 network: '" + context + "'");
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String dotted(int address) {
        return ((address >>> 24) & 255) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "."
                + (address & 255);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** How many addresses the network spans. */
    public long size() {
        return 1L << (32 - prefix);
    }

    /** The {@code i}-th address of the network (0 is the network address itself). */
    public String host(long i) {
        if (i < 0 || i >= size()) throw new IllegalArgumentException(i + " is outside " + this);
        return dotted(base + (int) i);
    }

    public boolean overlaps(Cidr other) {
        int shorter = Math.min(prefix, other.prefix);
        return (base & mask(shorter)) == (other.base & mask(shorter));
    }

    /** The {@code i}-th block of {@code blockPrefix} inside this network. */
    public Cidr block(int blockPrefix, long i) {
        return new Cidr(base + (int) (i << (32 - blockPrefix)), blockPrefix);
    }

    @Override
    public String toString() {
        return dotted(base) + "/" + prefix;
    }
}
