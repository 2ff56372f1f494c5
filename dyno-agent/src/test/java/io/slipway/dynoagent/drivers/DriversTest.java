package io.slipway.dynoagent.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.shared.sandbox.Cidr;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unisolated process driver only when the operator asks for it; never a silent fallback. */
class DriversTest {
    @TempDir
    Path tmp;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("SLIPWAY_INTERNAL_API_URL", "http://127.0.0.1:5003");
        env.put("SLIPWAY_INTERNAL_TOKEN", "secret");
        env.put("SLIPWAY_AGENT_DATA_DIR", tmp.toString());
        env.put("SLIPWAY_AGENT_ID", "drivers-test");
        return env;
    }

    @Test
    void withoutARuncTheAgentRefusesToStartInsteadOfFallingBack() {
        Map<String, String> env = env();
        env.put("SLIPWAY_RUNC", tmp.resolve("no-such-runc").toString());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Drivers.create(AgentConfig.fromEnv(env)));
        assertTrue(e.getMessage().contains("SLIPWAY_INSECURE_DYNOS=1"), e.getMessage());
        assertTrue(e.getMessage().contains("--insecure-dynos"), e.getMessage());
    }

    @Test
    void theProcessDriverNeedsTheInsecureSwitch() {
        Map<String, String> env = env();
        env.put("SLIPWAY_AGENT_DRIVER", "process");
        assertThrows(IllegalStateException.class, () -> Drivers.create(AgentConfig.fromEnv(env)));
        env.put("SLIPWAY_INSECURE_DYNOS", "1");
        assertInstanceOf(ProcessDynoDriver.class, Drivers.create(AgentConfig.fromEnv(env)));
    }

    @Test
    void theInsecureSwitchPicksTheProcessDriverEvenWhereRuncWorks() {
        Map<String, String> env = env();
        env.put("SLIPWAY_INSECURE_DYNOS", "true");
        assertInstanceOf(ProcessDynoDriver.class, Drivers.create(AgentConfig.fromEnv(env)));
    }

    @Test
    void sandboxSettingsAreReadFromTheEnvironment() {
        Map<String, String> env = env();
        env.put("SLIPWAY_DYNO_SUBNET", "10.99.0.0/20");
        env.put("SLIPWAY_DYNO_DENY_CIDRS", "10.0.0.0/8, 192.168.1.0/24");
        env.put("SLIPWAY_DYNO_UID_RANGE", "300000-300100");
        var sandbox = AgentConfig.fromEnv(env).sandbox();
        assertEquals(Cidr.parse("10.99.0.0/20"), sandbox.subnet());
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.168.1.0/24")), sandbox.denied());
        assertEquals(300000, sandbox.uidFrom());
        env.put("SLIPWAY_DYNO_SUBNET", "10.99.0.0/30");
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(env));
        env.put("SLIPWAY_DYNO_SUBNET", "not-a-net");
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(env));
    }
}
