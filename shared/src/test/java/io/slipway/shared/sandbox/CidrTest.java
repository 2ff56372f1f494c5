package io.slipway.shared.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void parsesBlocksAndAddresses() {
        Cidr pool = Cidr.parse("10.213.7.9/16");
        assertEquals("10.213.0.0/16", pool.toString());
        assertEquals("10.213.5.0/24", pool.block(24, 5).toString());
        assertEquals("10.213.5.2", pool.block(24, 5).host(2));
        assertTrue(pool.overlaps(Cidr.parse("10.0.0.0/8")));
        assertTrue(pool.overlaps(Cidr.parse("10.213.200.1")));
        assertFalse(pool.overlaps(Cidr.parse("10.214.0.0/24")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.213.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.213.0/16"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.256.0.0/16"));
    }
}
