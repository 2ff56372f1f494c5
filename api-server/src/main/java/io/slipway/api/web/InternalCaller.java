package io.slipway.api.web;

import java.util.Objects;

/**
 * The platform component behind an internal request, from its token ({@link ComponentTokens}). Controllers take it
 * as a parameter when they must scope what the component may touch (an agent acts for its own id only).
 *
 * @param role    what the token may do
 * @param agentId the one agent an {@link ComponentRole#AGENT} token acts for; null for other roles
 * @param name    how the token is named in logs (role and agent id, never the secret)
 */
public record InternalCaller(ComponentRole role, String agentId, String name) {
    static final String ATTRIBUTE = InternalCaller.class.getName();

    public InternalCaller {
        Objects.requireNonNull(role, "role");
        if ((role == ComponentRole.AGENT) != (agentId != null)) {
            throw new IllegalArgumentException("an agent token names exactly one agent id; other roles none");
        }
    }

    /**
     * Refuses (403) unless this caller is the agent {@code id}: an agent's token reads and reports only its own
     * assignments and dynos.
     */
    public void requireAgent(String id) {
        if (role != ComponentRole.AGENT || !agentId.equals(id)) {
            throw ApiErrors.forbidden("This token does not act for agent " + id + ".");
        }
    }
}
