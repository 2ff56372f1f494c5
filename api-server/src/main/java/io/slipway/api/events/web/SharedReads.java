package io.slipway.api.events.web;

import io.slipway.api.events.EventReader;
import io.slipway.api.events.StoredEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One database read serves every stream woken by the same commit. Without it a commit woke N followers into N
 * identical queries (100 routers and agents: 100 queries on a 10-connection pool per event), and the last
 * follower's delivery waited for all of them.
 *
 * <p>Why it never hides an event: a commit's notification (or the keepalive's own poll while the listener is
 * down) starts a new generation before any follower is woken. A read is reused only by a follower whose work
 * began in the same or an earlier generation than the one in which the read started, so the read started
 * after the commit that woke the follower and sees it. A follower whose cursor is before the read's start, or a
 * read that hit its limit (more may follow), is not served from it.
 */
final class SharedReads {
    private record Read(long generation, long after, int limit, List<StoredEvent> events) {}

    private final EventReader reader;
    private final AtomicLong generation = new AtomicLong();
    private Read last;

    SharedReads(EventReader reader) {
        this.reader = reader;
    }

    /** A commit (or a poll tick) happened: reads from before it are not reused by followers woken for it. */
    void newGeneration() {
        generation.incrementAndGet();
    }

    /** Where a follower's work starts: pass it to {@link #after}. */
    long generation() {
        return generation.get();
    }

    /**
     * Events with {@code seq > cursor}, at most {@code limit}, read after the generation {@code wokenAt} began.
     * Followers woken together wait here for the first one's query instead of each making their own.
     */
    synchronized List<StoredEvent> after(long cursor, int limit, long wokenAt) {
        Read r = last;
        if (r != null && r.generation >= wokenAt && r.after <= cursor && r.limit == limit
                && r.events.size() < limit) {
            return r.events.stream().filter(e -> e.seq() > cursor).toList();
        }
        long started = generation.get(); // before the query: a commit during it makes a newer generation
        List<StoredEvent> events = reader.after(cursor, limit);
        last = new Read(started, cursor, limit, events);
        return events;
    }
}
