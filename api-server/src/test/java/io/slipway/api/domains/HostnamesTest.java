package io.slipway.api.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.errors.InvalidInput;
import org.junit.jupiter.api.Test;

/** The hostname rule on its own (no server): normal forms, limits and the apps-domain check. */
class HostnamesTest {

    @Test
    void normalisesCaseAndTheFqdnDot() {
        assertThat(Hostnames.normalize("WWW.Example.COM.")).isEqualTo("www.example.com");
        assertThat(Hostnames.normalize("*.Example.com")).isEqualTo("*.example.com");
        assertThat(Hostnames.normalize("1password.example.io")).isEqualTo("1password.example.io");
        assertThat(Hostnames.normalize("xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void enforcesTheLengthLimits() {
        String label = "a".repeat(63);
        String longest = String.join(".", label, label, label, "a".repeat(57)) + ".com"; // 253
        assertThat(longest).hasSize(253);
        assertThat(Hostnames.normalize(longest)).isEqualTo(longest);
        assertThatThrownBy(() -> Hostnames.normalize("a" + longest)).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("253");
        assertThatThrownBy(() -> Hostnames.normalize(label + "a.com")).hasMessageContaining("63");
    }

    @Test
    void refusesAddressesAndOddShapes() {
        for (String bad : new String[] {"10.0.0.1", "example", "*.com", "www.*.example.com", "a.-b.com", "a..b.com",
                ".", "*.", "bücher.example", "www.example.com:80"}) {
            assertThatThrownBy(() -> Hostnames.normalize(bad)).as(bad).isInstanceOf(InvalidInput.class);
        }
    }

    @Test
    void knowsWhatIsUnderADomain() {
        assertThat(Hostnames.isWithin("demo.apps.example.net", "apps.example.net")).isTrue();
        assertThat(Hostnames.isWithin("apps.example.net", "Apps.Example.net.")).isTrue();
        assertThat(Hostnames.isWithin("*.apps.example.net", "apps.example.net")).isTrue();
        assertThat(Hostnames.isWithin("myapps.example.net", "apps.example.net")).isFalse();
        assertThat(Hostnames.isWithin("*.example.net", "apps.example.net")).isFalse();
    }
}
