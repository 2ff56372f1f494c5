package io.slipway.router.routes;

import io.slipway.shared.events.Event;
import io.slipway.shared.events.EventStreamClient;
import io.slipway.shared.events.EventSubscription;
import io.slipway.shared.events.EventTypes;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Keeps the {@link RouteTable} current: loads the full table (retrying until the api-server answers), then
 * follows the event stream from that seq and re-reads one app's routes whenever an event may have changed
 * them. When the api-server is away the table simply stays as it was: the router keeps serving.
 */
public final class RouteFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RouteFollower.class.getName());
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final RoutesClient routes;
    private final EventStreamClient events;
    private final RouteTable table;
    private final java.util.List<FollowedState> others;
    private final Thread loader;
    private volatile EventSubscription subscription;
    private volatile boolean closed;

    public RouteFollower(RoutesClient routes, EventStreamClient events, RouteTable table) {
        this(routes, events, table, java.util.List.of());
    }

    /** Also loads and follows {@code others} (each loaded after the routes, all followed from the oldest seq). */
    public RouteFollower(RoutesClient routes, EventStreamClient events, RouteTable table,
                         java.util.List<FollowedState> others) {
        this.others = java.util.List.copyOf(others);
        this.routes = routes;
        this.events = events;
        this.table = table;
        this.loader = new Thread(this::load, "router-routes-loader");
        loader.setDaemon(true);
    }

    public void start() {
        loader.start();
    }

    private void load() {
        long wait = 200;
        while (!closed) {
            try {
                RoutesClient.Table t = routes.all();
                table.replaceAll(t.apps());
                LOG.info("route table loaded: " + t.apps().size() + " apps at seq " + t.seq());
                long from = t.seq();
                for (FollowedState other : others) {
                    Long seq = other.load();
                    if (seq != null) from = Math.min(from, seq); // events between the two are re-read: harmless
                }
                subscription = events.follow(from, this::onEvent);
                if (closed) subscription.close();
                return;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warning("cannot load routes from the api-server yet: " + e);
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            wait = Math.min(wait * 2, MAX_RETRY.toMillis());
        }
    }

    /** Throws when the api-server cannot answer: the subscription then reconnects and redelivers the event. */
    private void onEvent(Event event) throws Exception {
        if (event.appId() == null) return;
        if (affectsRoutes(event.type())) {
            AppRoute route = routes.one(event.appId());
            if (route == null) table.remove(event.appId());
            else table.put(route);
        }
        for (FollowedState other : others) {
            if (other.affectedBy(event.type())) other.reload(event.appId());
        }
    }

    /**
     * Not {@code release.created}: a release changes no route by itself (every config change is one, and each
     * cost the router a re-read of the app's route); the dynos it replaces announce themselves
     * ({@code dyno.state_changed}, {@code routes.changed}).
     */
    static boolean affectsRoutes(String type) {
        return type.startsWith("app.") || type.startsWith("domain.")
                || EventTypes.DYNO_STATE_CHANGED.equals(type)
                || EventTypes.ROUTES_CHANGED.equals(type);
    }

    @Override
    public void close() {
        closed = true;
        loader.interrupt();
        EventSubscription s = subscription;
        if (s != null) s.close();
    }
}
