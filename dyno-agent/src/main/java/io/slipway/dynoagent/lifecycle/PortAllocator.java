package io.slipway.dynoagent.lifecycle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out the host ports dynos listen on ({@code $PORT}), from the agent's range: never one another dyno
 * holds, and only one nothing on the host is bound to right now.
 */
public final class PortAllocator {
    private final int from;
    private final int to;
    private final Set<Integer> taken = new HashSet<>();
    private int next;

    public PortAllocator(int from, int to) {
        this.from = from;
        this.to = to;
        this.next = from;
    }

    public synchronized int allocate() throws IOException {
        int size = to - from + 1;
        for (int i = 0; i < size; i++) {
            int port = next;
            next = next >= to ? from : next + 1;
            if (taken.contains(port) || !free(port)) continue;
            taken.add(port);
            return port;
        }
        throw new IOException("no free port left in " + from + "-" + to);
    }

    public synchronized void release(int port) {
        taken.remove(port);
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
