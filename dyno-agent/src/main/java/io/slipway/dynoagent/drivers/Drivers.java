package io.slipway.dynoagent.drivers;

import io.slipway.dynoagent.config.AgentConfig;
import java.util.logging.Logger;

/** Picks the driver {@code SLIPWAY_AGENT_DRIVER} asks for; {@code auto} prefers runc when it can isolate. */
public final class Drivers {
    private static final Logger LOG = Logger.getLogger(Drivers.class.getName());

    private Drivers() {}

    public static DynoDriver create(AgentConfig config) {
        String wanted = config.driver();
        if (wanted.equals("auto")) {
            if (RuncDynoDriver.usable(config.runc())) {
                wanted = "runc";
            } else {
                LOG.warning("WARNING: SLIPWAY_AGENT_DRIVER=auto found no usable runc (needs Linux, root and runc "
                        + "on the PATH): falling back to the process driver, which does NOT isolate dynos");
                wanted = "process";
            }
        }
        if (wanted.equals("runc")) {
            if (!RuncDynoDriver.usable(config.runc())) {
                throw new IllegalStateException("SLIPWAY_AGENT_DRIVER=runc needs Linux, root and a working runc ('"
                        + config.runc() + "')");
            }
            return new RuncDynoDriver(config.runc(), config.dataDir().resolve("runc"), config.defaultStackRoot(),
                    containerPrefix(config.agentId()));
        }
        return new ProcessDynoDriver();
    }

    /** {@code slipway-<agent id, cleaned>-}: distinct per agent, so two agents on one host leave each other be. */
    public static String containerPrefix(String agentId) {
        String clean = agentId.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (clean.length() > 40) clean = clean.substring(0, 40);
        return "slipway-" + clean + "-";
    }
}
