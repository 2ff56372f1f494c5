package io.slipway.shared.dynos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DynoSizeTest {
    @Test
    void namesMatchInAnyCaseAndRetiredNamesStillCount() {
        assertEquals(Optional.of(DynoSize.STANDARD_1X), DynoSize.find("standard-1x"));
        assertEquals(Optional.of(DynoSize.PERFORMANCE_L), DynoSize.find(" PERFORMANCE-L "));
        assertEquals(Optional.of(DynoSize.STANDARD_2X), DynoSize.find("2X"));
        assertEquals(Optional.of(DynoSize.PERFORMANCE_M), DynoSize.find("px"));
        assertEquals(Optional.of(DynoSize.BASIC), DynoSize.find(DynoSize.BASIC.id().toString()));
        assertTrue(DynoSize.find("Huge").isEmpty());
        assertTrue(DynoSize.find(null).isEmpty());
    }

    @Test
    void memoryPerSizeWithTheDefaultsForAnUnknownName() {
        assertEquals(512, DynoSize.memoryMbOf("Basic"));
        assertEquals(1024, DynoSize.memoryMbOf("Standard-2X"));
        assertEquals(2560, DynoSize.memoryMbOf("performance-m"));
        assertEquals(14336, DynoSize.memoryMbOf("PERFORMANCE-L"));
        assertEquals(DynoSize.DEFAULT.memoryMb(), DynoSize.memoryMbOf("Retired-9X"));
        assertEquals(DynoSize.DEFAULT.memoryMb(), DynoSize.memoryMbOf(null));
    }

    @Test
    void idsAreDerivedFromTheNameSoEveryReplicaAgrees() {
        // the id the api-server has always shown for Basic; a change would break stored references
        assertEquals(DynoSize.idOf("Basic"), DynoSize.BASIC.id());
        assertEquals(java.util.UUID.nameUUIDFromBytes("dyno-size:Basic".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                DynoSize.BASIC.id());
        assertEquals("Eco, Basic, Standard-1X, Standard-2X, Performance-M, Performance-L", DynoSize.names());
    }
}
