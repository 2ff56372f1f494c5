package io.slipway.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.ApiServerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** How {@code SLIPWAY_INTERNAL_TOKENS} is read: roles, agent ids, hashed entries, and what is refused. */
class ComponentTokensTest {
    private static final String ROUTER = "r".repeat(40);
    private static final String AGENT = "a".repeat(40);
    private static final String WORKER = "w".repeat(40);

    private static ComponentTokens tokens(String setting) {
        return tokens(setting, new MockEnvironment());
    }

    private static ComponentTokens tokens(String setting, MockEnvironment env) {
        ApiServerConfig config = new ApiServerConfig("https://127.0.0.1:5443", "localhost", "http", 8080,
                new ApiServerConfig.Internal(0, "127.0.0.1", setting, null, null), 4500, "heroku-24", null, null, null, null, null,
                null, null, null, null, null, "");
        return new ComponentTokens(config, env);
    }

    @Test
    void eachTokenHasOneRoleAndAnAgentTokenOneAgentId() {
        ComponentTokens t = tokens("router=" + ROUTER + ", agent:host-a=" + AGENT + "\n build-worker=sha256:"
                + ComponentTokens.sha256Hex(WORKER).toUpperCase());
        assertThat(t.identify(ROUTER)).contains(new InternalCaller(ComponentRole.ROUTER, null, "router"));
        assertThat(t.identify(AGENT)).contains(new InternalCaller(ComponentRole.AGENT, "host-a", "agent:host-a"));
        assertThat(t.identify(WORKER).map(InternalCaller::role)).contains(ComponentRole.BUILD_WORKER);
        assertThat(t.identify("sha256:" + ComponentTokens.sha256Hex(WORKER))).as("the hash is not the token").isEmpty();
        assertThat(t.identify("")).isEmpty();
        assertThat(t.identify(ROUTER + "x")).isEmpty();
        assertThat(tokens(null).isEmpty()).isTrue();
    }

    @Test
    void refusesWeakAmbiguousOrUnscopedEntriesWithoutPrintingTheToken() {
        assertThatThrownBy(() -> tokens("router=short")).hasMessageContaining("at least 32").hasMessageNotContaining("short");
        assertThatThrownBy(() -> tokens("agent=" + AGENT)).hasMessageContaining("agent id").hasMessageNotContaining(AGENT);
        assertThatThrownBy(() -> tokens("router:x=" + ROUTER)).hasMessageContaining("only agent tokens");
        assertThatThrownBy(() -> tokens("admin=" + ROUTER)).hasMessageContaining("unknown role admin");
        assertThatThrownBy(() -> tokens(ROUTER)).hasMessageNotContaining(ROUTER);
        assertThatThrownBy(() -> tokens("router=" + ROUTER + " build-worker=" + ROUTER)).hasMessageContaining("twice");
    }

    @Test
    void theOldSharedTokenIsRefusedAtStartup() {
        MockEnvironment env = new MockEnvironment().withProperty("slipway.internal-token", "old-shared-token");
        assertThatThrownBy(() -> tokens("router=" + ROUTER, env)).hasMessageContaining("SLIPWAY_INTERNAL_TOKENS")
                .hasMessageNotContaining("old-shared-token");
    }
}
