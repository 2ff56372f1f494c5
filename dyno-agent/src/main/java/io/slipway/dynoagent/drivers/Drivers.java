package io.slipway.dynoagent.drivers;

import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.shared.sandbox.SandboxNetwork;
import java.util.logging.Logger;

/**
 * Picks the driver: runc, with each dyno in its own sandbox, unless the operator explicitly asked for dynos
 * without isolation ({@code SLIPWAY_INSECURE_DYNOS=1}, {@code slipway up --insecure-dynos}). There is no
 * silent fallback: a host that cannot sandbox dynos and was not told to run them insecurely refuses to start.
 */
public final class Drivers {
    private static final Logger LOG = Logger.getLogger(Drivers.class.getName());

    private Drivers() {}

    public static DynoDriver create(AgentConfig config) {
        String wanted = config.driver();
        boolean insecure = config.sandbox().insecureDynos();
        if (wanted.equals("process") || (wanted.equals("auto") && insecure)) {
            if (!insecure) {
                throw new IllegalStateException("SLIPWAY_AGENT_DRIVER=process runs dynos WITHOUT any isolation: "
                        + "every app could read the others' config vars and reach the platform's database. "
                        + "Set SLIPWAY_INSECURE_DYNOS=1 (slipway up --insecure-dynos) to run it anyway, on a "
                        + "development machine only.");
            }
            LOG.warning("WARNING: SLIPWAY_INSECURE_DYNOS is set: dynos run as plain processes of the agent's "
                    + "user, WITHOUT isolation (no container, no own network, no limits). Development only.");
            return new ProcessDynoDriver();
        }
        String problem = sandboxProblem(config.runc());
        if (problem != null) {
            throw new IllegalStateException("cannot sandbox dynos here: " + problem + ". Dynos need Linux, root, "
                    + "runc, 'ip' (iproute2) and 'nft' (nftables): apt-get install runc iproute2 nftables. "
                    + "To run dynos WITHOUT isolation on a development machine instead, set SLIPWAY_INSECURE_DYNOS=1 "
                    + "(slipway up --insecure-dynos).");
        }
        return new RuncDynoDriver(config.runc(), config.dataDir(), config.defaultStackRoot(), config.agentId(),
                config.sandbox());
    }

    /** Why dynos cannot be sandboxed on this host, or null when they can. */
    public static String sandboxProblem(String runc) {
        if (!RuncDynoDriver.usable(runc)) return "runc ('" + runc + "') is not usable (or the agent is not root)";
        String tool = SandboxNetwork.missingTools();
        return tool == null ? null : "'" + tool + "' is missing";
    }

    /** {@code slipway-<agent id, cleaned>-}: distinct per agent, so two agents on one host leave each other be. */
    public static String containerPrefix(String agentId) {
        String clean = agentId.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (clean.length() > 40) clean = clean.substring(0, 40);
        return "slipway-" + clean + "-";
    }
}
