package io.slipway.buildworker.support;

import io.slipway.buildworker.container.RuncRunner;
import org.junit.jupiter.api.Assumptions;

/** Tests that need real containers are skipped (not failed) where runc cannot be used: not root, or no runc. */
public final class RuncAvailable {
    private static volatile String problem;
    private static volatile boolean checked;

    private RuncAvailable() {}

    public static void assume() {
        if (!checked) {
            try {
                RuncRunner.checkUsable("runc");
            } catch (IllegalStateException e) {
                problem = e.getMessage();
            }
            checked = true;
        }
        Assumptions.assumeTrue(problem == null, () -> "runc cannot be used here: " + problem);
    }
}
