package io.slipway.buildworker.run;

import io.slipway.shared.builds.InternalBuildsClient;
import io.slipway.shared.builds.LeaseLostException;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * A build's output, as the user sees it on {@code git push}: lines are buffered and posted in order, in chunks of
 * whole lines, a few times a second, by one sender thread (so a slow api-server never stalls the build).
 * Heroku's prefixes: {@code -----> } for a step, seven spaces for detail, {@code  !     } for an error.
 */
public final class BuildLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BuildLog.class.getName());
    private static final int MAX_CHUNK = 64 * 1024;
    private static final long LINGER_MS = 200;

    private final InternalBuildsClient client;
    private final String buildId;
    private final Runnable onLeaseLost;
    private final StringBuilder pending = new StringBuilder();
    private final Thread sender;
    private boolean sending;
    private boolean flushing;
    private boolean closed;

    public BuildLog(InternalBuildsClient client, String buildId, Runnable onLeaseLost) {
        this.client = client;
        this.buildId = buildId;
        this.onLeaseLost = onLeaseLost;
        this.sender = new Thread(this::sendLoop, "build-output-" + buildId);
        sender.setDaemon(true);
        sender.start();
    }

    public void header(String text) {
        line("-----> " + text);
    }

    public void info(String text) {
        line("       " + text);
    }

    public void error(String text) {
        line(" !     " + text);
    }

    public synchronized void line(String text) {
        if (closed) return;
        pending.append(text).append('\n');
        notifyAll();
    }

    /** Blocks until every line so far has been posted (or given up on after retries). */
    public synchronized void flush() {
        flushing = true;
        notifyAll();
        long deadline = System.currentTimeMillis() + 60_000;
        while ((pending.length() > 0 || sending) && sender.isAlive()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) break;
            try {
                wait(Math.min(left, 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        flushing = false;
    }

    @Override
    public void close() {
        flush();
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendLoop() {
        while (true) {
            String chunk;
            synchronized (this) {
                while (pending.length() == 0 && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending.length() == 0) return; // closed and drained
                // let a burst of lines go out as one request, unless someone waits for them
                long until = System.currentTimeMillis() + LINGER_MS;
                while (pending.length() < MAX_CHUNK && !closed && !flushing) {
                    long left = until - System.currentTimeMillis();
                    if (left <= 0) break;
                    try {
                        wait(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                int end = chunkEnd();
                chunk = pending.substring(0, end);
                pending.delete(0, end);
                sending = true;
            }
            try {
                post(chunk);
            } finally {
                synchronized (this) {
                    sending = false;
                    notifyAll();
                }
            }
        }
    }

    /** Up to MAX_CHUNK characters, ending after a newline when one is in range. */
    private int chunkEnd() {
        if (pending.length() <= MAX_CHUNK) return pending.length();
        int newline = pending.lastIndexOf("\n", MAX_CHUNK - 1);
        return newline > 0 ? newline + 1 : MAX_CHUNK;
    }

    private void post(String chunk) {
        for (int attempt = 1; attempt <= 4; attempt++) {
            try {
                client.output(buildId, chunk);
                return;
            } catch (LeaseLostException e) {
                onLeaseLost.run();
                return;
            } catch (IOException e) {
                if (attempt == 4) {
                    LOG.log(Level.WARNING, "build {0}: dropped {1} characters of output: {2}", buildId,
                            chunk.length(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(250L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
