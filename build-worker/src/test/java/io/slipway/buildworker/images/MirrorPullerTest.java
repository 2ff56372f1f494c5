package io.slipway.buildworker.images;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a failed pull tells the tenant: Buildah's cause, without the mirror's address. */
class MirrorPullerTest {
    @Test
    void theCauseOfBuildahsLastLine() {
        assertEquals("manifest unknown", MirrorPuller.reason("Error: initializing source docker://127.0.0.1:45123/library/"
                + "missing:1: reading manifest 1 in 127.0.0.1:45123/library/missing: manifest unknown: manifest unknown"));
        assertEquals("no space left on device", MirrorPuller.reason("Error: writing blob: adding layer with blob "
                + "\"sha256:6ad4\": processing tar file(write /zeros: no space left on device): exit status 1"));
        assertEquals("connection refused", MirrorPuller.reason("Error: initializing source docker://10.0.0.9:5000/library/"
                + "x:1: pinging container registry 10.0.0.9:5000: Get \"https://10.0.0.9:5000/v2/\": dial tcp "
                + "10.0.0.9:5000: connect: connection refused"));
        assertEquals("no answer", MirrorPuller.reason(""));
    }
}
