package io.slipway.api.sniendpoints;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The hostnames a certificate is for, and whether they cover a domain, as TLS clients decide (RFC 6125): the
 * DNS subject alternative names, or the subject's common name when there are none; a {@code *.} name covers
 * exactly one more label. A wildcard domain ({@code *.example.com}) is covered only by that same wildcard.
 */
public final class CertificateNames {
    private static final int DNS_NAME = 2;

    private CertificateNames() {}

    static List<String> of(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(DNS_NAME).equals(san.get(0)) && san.get(1) instanceof String s) {
                        names.add(normal(s));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CertificateRejected("The certificate's subject alternative names cannot be read.");
        }
        if (names.isEmpty()) {
            String cn = commonName(cert);
            if (cn != null) names.add(normal(cn));
        }
        return names.stream().distinct().toList();
    }

    public static boolean covers(List<String> names, String hostname) {
        String h = normal(hostname);
        for (String n : names) {
            if (n.equals(h)) return true;
            if (n.startsWith("*.") && !h.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(n.substring(2))) return true;
            }
        }
        return false;
    }

    static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return String.valueOf(rdn.getValue());
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static String normal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
