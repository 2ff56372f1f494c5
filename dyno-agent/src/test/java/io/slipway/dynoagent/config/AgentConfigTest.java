package io.slipway.dynoagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
    @TempDir
    Path tmp;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("SLIPWAY_INTERNAL_API_URL", "http://127.0.0.1:5000");
        env.put("SLIPWAY_INTERNAL_TOKEN", "secret");
        env.put("SLIPWAY_AGENT_DATA_DIR", tmp.toString());
        return env;
    }

    @Test
    void defaultsFollowTheContract() {
        AgentConfig c = AgentConfig.fromEnv(env());
        assertEquals("127.0.0.1", c.host());
        assertEquals(40000, c.portFrom());
        assertEquals(49999, c.portTo());
        assertEquals("auto", c.driver());
        assertEquals(Duration.ofSeconds(60), c.bootTimeout());
        assertEquals(Duration.ofSeconds(30), c.stopTimeout());
        assertEquals(Duration.ofSeconds(2), c.drainDelay());
        assertEquals(Path.of("/"), c.defaultStackRoot());
        assertTrue(!c.toString().contains("secret"), "the token is never printed");
    }

    @Test
    void theAgentIdIsPersistedInTheDataDir() {
        String first = AgentConfig.fromEnv(env()).agentId();
        assertEquals(first, AgentConfig.fromEnv(env()).agentId());
        Map<String, String> env = env();
        env.put("SLIPWAY_AGENT_ID", "host-a");
        assertEquals("host-a", AgentConfig.fromEnv(env).agentId());
    }

    @Test
    void badValuesNameTheirVariable() {
        Map<String, String> env = env();
        env.put("SLIPWAY_AGENT_PORT_RANGE", "5000");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(env)).getMessage()
                .contains("SLIPWAY_AGENT_PORT_RANGE"));
        env.remove("SLIPWAY_AGENT_PORT_RANGE");
        env.put("SLIPWAY_AGENT_DRIVER", "docker");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(env)).getMessage()
                .contains("SLIPWAY_AGENT_DRIVER"));
        env.remove("SLIPWAY_AGENT_DRIVER");
        env.remove("SLIPWAY_INTERNAL_TOKEN");
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(env));
    }
}
