package io.slipway.launcher;

import io.slipway.dynoagent.config.AgentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One internal-API token per in-process component, generated on the first run and kept in
 * {@code <data-dir>/secrets} (600), so that even on one machine a component's token opens only what that component
 * needs (docs/security.md, "Internal API apart"). The dyno-agent's token is bound to its id, which is fixed here
 * (the operator's {@code SLIPWAY_AGENT_ID}, else the id persisted in the agent's directory) so that the token
 * and the agent always agree.
 */
record InternalTokens(String router, String buildWorker, String gitGateway, String operator, String agentId,
                      String agent) {
    static final String ROUTER = "token-router";
    static final String BUILD_WORKER = "token-build-worker";
    static final String GIT_GATEWAY = "token-git-gateway";
    static final String AGENT = "token-agent";
    static final String OPERATOR = "token-operator";
    /** The single shared token of earlier versions; removed, as nothing accepts it any more. */
    static final String LEGACY = "internal-token";

    static InternalTokens ensure(DataDir dir) {
        try {
            Files.deleteIfExists(dir.secretFile(LEGACY));
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + dir.secretFile(LEGACY), e);
        }
        String configuredId = System.getenv("SLIPWAY_AGENT_ID");
        String agentId = configuredId != null && !configuredId.isBlank() ? configuredId.trim()
                : AgentConfig.persistedAgentId(dir.agent());
        if (!agentId.matches("[\\x21-\\x7e&&[^/,=]]{1,100}")) {
            throw new IllegalStateException("SLIPWAY_AGENT_ID must be 1 to 100 visible ASCII characters without / , or =");
        }
        return new InternalTokens(
                dir.secret(ROUTER, () -> DataDir.randomToken(32)),
                dir.secret(BUILD_WORKER, () -> DataDir.randomToken(32)),
                dir.secret(GIT_GATEWAY, () -> DataDir.randomToken(32)),
                dir.secret(OPERATOR, () -> DataDir.randomToken(32)),
                agentId,
                dir.secret(AGENT, () -> DataDir.randomToken(32)));
    }

    /** What the api-server is told ({@code slipway.internal.tokens}): every token with its role. */
    String setting() {
        return "router=" + router + "\nbuild-worker=" + buildWorker + "\ngit-gateway=" + gitGateway
                + "\noperator=" + operator + "\nagent:" + agentId + "=" + agent + "\n";
    }
}
