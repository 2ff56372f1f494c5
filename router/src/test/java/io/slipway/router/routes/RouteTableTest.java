package io.slipway.router.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    @Test
    void hostsAreMatchedWithoutCasePortOrTrailingDot() {
        assertEquals("demo.localhost", RouteTable.normalize("Demo.LocalHost:8080"));
        assertEquals("www.example.com", RouteTable.normalize("www.example.com."));
        assertEquals("[::1]", RouteTable.normalize("[::1]:80"));
        assertEquals("[::1]", RouteTable.normalize("[::1]"));
    }

    @Test
    void putReplacesAnAppsHostsAndRemoveDropsThem() {
        RouteTable table = new RouteTable();
        UUID id = UUID.randomUUID();
        AppRoute v1 = new AppRoute(id, "a", List.of("a.localhost", "old.example.com"), false, "up", List.of());
        table.replaceAll(List.of(v1));
        assertSame(v1, table.lookup("OLD.example.com"));
        AppRoute v2 = new AppRoute(id, "a", List.of("a.localhost"), false, "up", List.of());
        table.put(v2);
        assertNull(table.lookup("old.example.com"));
        assertSame(v2, table.lookup("a.localhost"));
        table.remove(id);
        assertNull(table.lookup("a.localhost"));
    }

    @Test
    void roundRobinCyclesThroughTheDynos() {
        WebDyno a = new WebDyno("1", "web.1", "127.0.0.1", 1);
        WebDyno b = new WebDyno("2", "web.2", "127.0.0.1", 2);
        AppRoute r = new AppRoute(UUID.randomUUID(), "x", List.of("x"), false, "up", List.of(a, b));
        assertEquals(List.of(a, b, a, b), List.of(r.next(), r.next(), r.next(), r.next()));
    }
}
