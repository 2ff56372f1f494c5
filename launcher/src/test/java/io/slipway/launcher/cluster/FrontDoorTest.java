package io.slipway.launcher.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading HAProxy's {@code show stat} CSV: a backend counts as ready only once every one of its servers is UP. */
class FrontDoorTest {
    private static final String HEADER = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,"
            + "eresp,wretr,wredis,status,weight\n";

    private static String row(String proxy, String server, String status) {
        return proxy + "," + server + ",0,0,0,0,,0,0,0,,0,,0,0,0,0," + status + ",1\n";
    }

    @Test
    void everyServerOfTheBackendMustBeUp() {
        String starting = HEADER + row("internal", "FRONTEND", "OPEN") + row("internal", "api-1", "UP")
                + row("internal", "api-2", "DOWN 1/2") + row("internal", "BACKEND", "UP") + row("api", "api-1", "UP");
        assertFalse(FrontDoor.allServersUp(starting, "internal"));
        assertTrue(FrontDoor.allServersUp(starting, "api"));
        String ready = starting.replace("DOWN 1/2", "UP");
        assertTrue(FrontDoor.allServersUp(ready, "internal"));
    }

    @Test
    void aBackendWithoutServersIsNotReady() {
        assertFalse(FrontDoor.allServersUp(HEADER + row("routers", "BACKEND", "DOWN"), "routers"));
        assertFalse(FrontDoor.allServersUp("", "routers"));
    }
}
