package io.slipway.shared.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeccompProfileTest {
    private static Set<Object> allowed(Map<String, Object> profile) {
        Set<Object> names = new HashSet<>();
        for (Object o : Json.array(profile.get("syscalls"))) {
            Map<String, Object> rule = Json.object(o);
            if ("SCMP_ACT_ALLOW".equals(rule.get("action")) && rule.get("args") == null) {
                names.addAll(Json.array(rule.get("names")));
            }
        }
        return names;
    }

    @Test
    void withoutCapabilitiesTheDefaultIsEpermAndPrivilegedCallsAreNotAllowed() {
        Map<String, Object> profile = SeccompProfile.forCapabilities(Set.of());
        assertEquals("SCMP_ACT_ERRNO", profile.get("defaultAction"));
        assertEquals(1L, ((Number) profile.get("defaultErrnoRet")).longValue());
        Set<Object> allowed = allowed(profile);
        assertTrue(allowed.containsAll(List.of("read", "write", "openat", "bind", "accept4", "execve", "mprotect")));
        for (String privileged : List.of("mount", "unshare", "setns", "bpf", "reboot", "init_module",
                "kexec_load", "open_by_handle_at", "keyctl", "add_key", "umount2", "pivot_root")) {
            assertFalse(allowed.contains(privileged), privileged + " is allowed");
        }
    }

    @Test
    void aCapabilityBringsItsCallsBack() {
        assertTrue(allowed(SeccompProfile.forCapabilities(Set.of("CAP_SYS_ADMIN"))).contains("mount"));
    }
}
