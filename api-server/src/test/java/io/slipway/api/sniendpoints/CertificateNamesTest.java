package io.slipway.api.sniendpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.shared.testing.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which hostnames a certificate's names cover: exact names, and a wildcard for exactly one more label. */
class CertificateNamesTest {
    @Test
    void exactNamesAndOneLabelWildcards() {
        List<String> names = List.of("*.example.com", "example.org");
        assertThat(CertificateNames.covers(names, "www.example.com")).isTrue();
        assertThat(CertificateNames.covers(names, "WWW.Example.COM.")).isTrue();
        assertThat(CertificateNames.covers(names, "example.org")).isTrue();
        assertThat(CertificateNames.covers(names, "a.b.example.com")).isFalse();
        assertThat(CertificateNames.covers(names, "example.com")).isFalse();
        assertThat(CertificateNames.covers(names, "www.example.org")).isFalse();
        assertThat(CertificateNames.covers(names, "wwwexample.com")).isFalse();
        assertThat(CertificateNames.covers(names, "evil-example.com")).isFalse();
    }

    @Test
    void aWildcardDomainNeedsTheSameWildcard() {
        assertThat(CertificateNames.covers(List.of("*.example.com"), "*.example.com")).isTrue();
        assertThat(CertificateNames.covers(List.of("www.example.com"), "*.example.com")).isFalse();
        assertThat(CertificateNames.covers(List.of("*.com"), "*.example.com")).isFalse();
    }

    @Test
    void namesAreTheDnsSubjectAlternativeNames() {
        TestPki.Issued ca = TestPki.ca("Names Root");
        TestPki.Issued withSans = TestPki.leaf(ca, "a.example.test", "b.example.test");
        assertThat(CertificateNames.of(withSans.cert())).containsExactly("a.example.test", "b.example.test");
    }
}
