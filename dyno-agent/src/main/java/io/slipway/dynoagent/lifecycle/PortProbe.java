package io.slipway.dynoagent.lifecycle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether something accepts TCP connections at host:port: how a web dyno is known to be up (as Heroku does). */
public final class PortProbe {
    private PortProbe() {}

    public static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
