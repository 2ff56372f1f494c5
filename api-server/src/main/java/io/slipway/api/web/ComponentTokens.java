package io.slipway.api.web;

import io.slipway.api.ApiServerConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The platform components' tokens, one per component, each with one {@link ComponentRole}. Configured by the
 * operator in {@code slipway.internal.tokens} ({@code SLIPWAY_INTERNAL_TOKENS}): entries separated by commas,
 * spaces or new lines, each {@code <role>=<secret>}, or {@code agent:<agent id>=<secret>} for a dyno-agent, whose
 * token then acts for that agent id only. {@code <secret>} is the token itself (at least 32 characters) or
 * {@code sha256:<64 hex digits>}, its SHA-256, so the api-server's environment need not hold usable tokens.
 * <pre>
 *   SLIPWAY_INTERNAL_TOKENS="router=Xq...  build-worker=9f...  git-gateway=sha256:3b1c...  agent:host-a=kP...  operator=..."
 * </pre>
 * Several entries may share a role (one per router or worker, or an old and a new one while rotating). Only the
 * SHA-256 of each token is kept in memory; a presented token is hashed and looked up. Kept in configuration, not
 * in the database, so every replica agrees without a migration and a token is revoked by removing its line.
 * <p>The single shared {@code SLIPWAY_INTERNAL_TOKEN} of earlier versions is refused at startup rather than
 * silently ignored, so an upgrade cannot leave the operator believing the old token still works.
 */
@Component
public class ComponentTokens {
    private static final Pattern ENTRY_SEPARATORS = Pattern.compile("[\\s,]+");
    private static final Pattern HASHED = Pattern.compile("sha256:[0-9a-fA-F]{64}");
    private static final int MIN_TOKEN_LENGTH = 32;
    private final Map<String, InternalCaller> byHash = new HashMap<>();

    public ComponentTokens(ApiServerConfig config, Environment environment) {
        String legacy = environment.getProperty("slipway.internal-token");
        if (legacy != null && !legacy.isBlank()) {
            throw new IllegalStateException("SLIPWAY_INTERNAL_TOKEN (slipway.internal-token) is no longer used: give "
                    + "each component its own token in SLIPWAY_INTERNAL_TOKENS (see docs/security.md, \"Internal API "
                    + "apart\") and remove SLIPWAY_INTERNAL_TOKEN from the api-server's environment.");
        }
        String tokens = config.internal().tokens();
        if (tokens == null) return;
        for (String entry : ENTRY_SEPARATORS.split(tokens.strip())) {
            if (!entry.isEmpty()) add(entry);
        }
    }

    /** The component presenting {@code token}, if it is one of the configured tokens. */
    public Optional<InternalCaller> identify(String token) {
        if (token == null || token.isEmpty()) return Optional.empty();
        return Optional.ofNullable(byHash.get(sha256Hex(token)));
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    /** SHA-256 of a token, as {@code sha256:<hex>} entries hold it (what the operator's tools print). */
    public static String sha256Hex(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void add(String entry) {
        // the secret is after the last '=': tokens are base64url/hex, hashes hex, neither holds '='
        int eq = entry.lastIndexOf('=');
        if (eq <= 0 || eq == entry.length() - 1) throw invalid(entry, "expected <role>[:<agent id>]=<token>");
        String who = entry.substring(0, eq);
        String secret = entry.substring(eq + 1);
        int colon = who.indexOf(':');
        String roleName = colon < 0 ? who : who.substring(0, colon);
        String agentId = colon < 0 ? null : who.substring(colon + 1);
        ComponentRole role = ComponentRole.fromWireName(roleName)
                .orElseThrow(() -> invalid(entry, "unknown role " + roleName
                        + " (agent, build-worker, router, git-gateway or operator)"));
        if (role == ComponentRole.AGENT && (agentId == null || agentId.isEmpty())) {
            throw invalid(entry, "an agent's token names its agent id: agent:<agent id>=<token>");
        }
        if (role != ComponentRole.AGENT && agentId != null) throw invalid(entry, "only agent tokens name an id");
        String hash;
        if (HASHED.matcher(secret).matches()) {
            hash = secret.substring("sha256:".length()).toLowerCase(java.util.Locale.ROOT);
        } else if (secret.length() >= MIN_TOKEN_LENGTH) {
            hash = sha256Hex(secret);
        } else {
            throw invalid(entry, "a token has at least " + MIN_TOKEN_LENGTH + " characters (or give sha256:<hex>)");
        }
        String name = role.wireName() + (agentId == null ? "" : ":" + agentId);
        if (byHash.putIfAbsent(hash, new InternalCaller(role, agentId, name)) != null) {
            throw new IllegalStateException("SLIPWAY_INTERNAL_TOKENS: the same token is given twice; every component "
                    + "needs its own");
        }
    }

    /** Names the entry by its role only: the message must never print a token. */
    private static IllegalStateException invalid(String entry, String why) {
        String who = entry.contains("=") ? entry.substring(0, entry.lastIndexOf('=')) : "(an entry)";
        return new IllegalStateException("SLIPWAY_INTERNAL_TOKENS: bad entry for " + who + ": " + why);
    }
}
