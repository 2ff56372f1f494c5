package io.slipway.buildworker.fs;

import java.io.IOException;

/** Short reasons for failed downloads and uploads, fit for build output (the JDK's often carry no message). */
public final class IoErrors {
    private IoErrors() {}

    public static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) return "connection refused";
        if (e instanceof java.net.http.HttpConnectTimeoutException) return "connection timed out";
        if (e instanceof java.net.http.HttpTimeoutException) return "timed out";
        if (e instanceof java.net.UnknownHostException) return "unknown host " + e.getMessage();
        if (e instanceof javax.net.ssl.SSLException) return "TLS error (" + e.getMessage() + ")";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
