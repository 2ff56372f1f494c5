package io.slipway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestTargetTest {

    @Test
    void onlyHttpAndHttpsTargetsAreAbsoluteForm() {
        assertFalse(RequestTarget.isAbsolute("/path?x=http://a"));
        assertFalse(RequestTarget.isAbsolute("*"));
        assertFalse(RequestTarget.isAbsolute("app.example:443")); // authority-form (CONNECT)
        assertFalse(RequestTarget.isAbsolute("ftp://app.example/"));
        assertFalse(RequestTarget.isAbsolute(""));
        assertTrue(RequestTarget.isAbsolute("http://app.example/"));
        assertTrue(RequestTarget.isAbsolute("HTTPS://app.example"));
    }

    @Test
    void authorityAndOriginForm() {
        assertEquals("App.Example:8080", RequestTarget.authority("http://App.Example:8080/a/b?c=d#frag"));
        assertEquals("/a/b?c=d", RequestTarget.originForm("http://App.Example:8080/a/b?c=d#frag"));
        assertEquals("app.example", RequestTarget.authority("https://app.example"));
        assertEquals("/", RequestTarget.originForm("https://app.example"));
        assertEquals("/?q=1", RequestTarget.originForm("http://app.example?q=1"));
        assertEquals("[::1]:5000", RequestTarget.authority("http://[::1]:5000/x"));
    }

    @Test
    void targetsWithoutAHostOrWithUserInformationHaveNoAuthority() {
        assertNull(RequestTarget.authority("http:///p"));
        assertNull(RequestTarget.authority("http://"));
        assertNull(RequestTarget.authority("http://user:pw@app.example/"));
        assertNull(RequestTarget.authority("http://:80/"));
    }
}
