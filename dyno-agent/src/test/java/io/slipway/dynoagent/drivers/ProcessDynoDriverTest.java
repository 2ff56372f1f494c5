package io.slipway.dynoagent.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slipway.shared.net.LocalPorts;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessDynoDriverTest extends DynoDriverConformance {
    private DynoDriver driver;

    @Override
    protected DynoDriver driver() {
        if (driver == null) driver = new ProcessDynoDriver();
        return driver;
    }

    @Test
    void anImageDynoIsRefusedWithAClearError() throws Exception {
        DynoSpec.ImageRun image = new DynoSpec.ImageRun(tmp, 1000, 1000, "/", List.of(), null, List.of("/bin/true"));
        DynoSpec spec = new DynoSpec("img", "web.1", null, Map.of(), null, tmp, LocalPorts.freePort(), 256L << 20,
                64, -1, false, null, null, List.of(), image);
        IOException e = assertThrows(IOException.class, () -> driver().start(spec));
        assertEquals(driver().imageProblem(), e.getMessage());
        assertEquals(List.of(), driver().runningDynoIds(), "nothing was started");
    }
}
