package io.slipway.dynoagent.lifecycle;

import io.slipway.shared.agents.Assignment;
import io.slipway.dynoagent.drivers.DynoDriver;
import io.slipway.dynoagent.drivers.DynoSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Mounts an assignment's volumes on this agent (each once, kept across dynos) and says where each is bound. */
final class VolumeMounts {
    private VolumeMounts() {}

    static List<DynoSpec.VolumeMount> of(DynoDriver driver, Assignment a, int uid) throws IOException {
        List<DynoSpec.VolumeMount> out = new ArrayList<>();
        for (Assignment.Volume v : a.volumes()) {
            out.add(new DynoSpec.VolumeMount(driver.mountVolume(v.id(), v.sizeMb() * 1024L * 1024L, uid), v.path()));
        }
        return out;
    }
}
