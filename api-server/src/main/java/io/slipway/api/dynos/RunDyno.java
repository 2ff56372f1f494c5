package io.slipway.api.dynos;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.api.formation.DynoSizes;
import io.slipway.api.identity.Caller;
import io.slipway.api.limits.Quotas;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.rendezvous.RendezvousServer;
import io.slipway.api.scheduler.PlaceDyno;
import io.slipway.api.scheduler.RuntimeEvents;
import io.slipway.api.scheduler.SchedulerLock;
import io.slipway.api.secrets.ConfigVarsCipher;
import io.slipway.shared.dynos.DynoSize;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku run} / {@code run:detached}: a one-off dyno {@code run.N} (N random in 1000-9999, unused in
 * the app) of the current release, placed like any other. The command runs through a shell in the dyno.
 * With {@code attach} it gets a secret the CLI and the dyno meet with at the rendezvous.
 */
@Service
public class RunDyno {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final AppAccess access;
    private final ReleaseRepository releases;
    private final DynoRows rows;
    private final SchedulerLock lock;
    private final PlaceDyno placeDyno;
    private final RuntimeEvents runtimeEvents;
    private final RendezvousServer rendezvous;
    /** The run's env ({@code heroku run -e}) can hold secrets too: stored encrypted like config vars. */
    private final ConfigVarsCipher cipher;
    private final Quotas quotas;

    public RunDyno(AppAccess access, ReleaseRepository releases, DynoRows rows, SchedulerLock lock,
                   PlaceDyno placeDyno, RuntimeEvents runtimeEvents, RendezvousServer rendezvous,
                   ConfigVarsCipher cipher, Quotas quotas) {
        this.quotas = quotas;
        this.access = access;
        this.releases = releases;
        this.rows = rows;
        this.lock = lock;
        this.placeDyno = placeDyno;
        this.runtimeEvents = runtimeEvents;
        this.rendezvous = rendezvous;
        this.cipher = cipher;
    }

    /** What {@code POST /apps/{app}/dynos} asks for; {@code size}/{@code type} null for the defaults. */
    public record Request(String command, boolean attach, Map<String, String> env, boolean tty, String size,
                          String type) {}

    @Transactional
    public UUID run(Caller caller, String appIdentity, Request request) {
        App app = access.visible(caller, appIdentity);
        if (request.command() == null || request.command().isBlank()) {
            throw new InvalidInput("Missing required param `command`.");
        }
        String size = (request.size() == null ? DynoSize.DEFAULT : DynoSizes.require(request.size())).herokuName();
        String type = request.type() == null || request.type().isBlank() ? "run" : request.type().strip();
        if (!type.matches("[a-zA-Z0-9_-]{1,30}")) throw new InvalidInput("Invalid `type`: " + type + ".");
        Release release = releases.findFirstByAppIdAndStatusOrderByVersionDesc(app.id(), Release.SUCCEEDED)
                .filter(r -> r.artifact().present())
                .orElseThrow(() -> new InvalidInput("No release of " + app.name()
                        + " has code to run yet. Deploy it first (git push heroku main), then run one-off dynos."));
        if (request.attach() && rendezvous.port() < 0) {
            throw new InvalidInput("This Slipway cannot attach to one-off dynos (its rendezvous is off). "
                    + "Use heroku run:detached and read the output with heroku logs.");
        }
        lock.hold();
        quotas.requireOneOffSlot(app);
        String name = freeName(app.id());
        String secret = request.attach() ? HexFormat.of().formatHex(randomBytes(16)) : null;
        DynoRow dyno = rows.insert(app.id(), release.id(), name, type, request.command(), size, true, secret,
                request.tty(), cipher.encrypt(request.env() == null ? Map.of() : request.env()),
                secret == null ? null : rendezvous.attachUrl(secret));
        rows.startedBy(dyno.id(), caller.accountId());
        RuntimeEvents.Batch events = runtimeEvents.batch();
        events.dynoState(dyno, dyno.state(), null, null);
        placeDyno.place(dyno, placeDyno.capacity(), events);
        events.publish();
        return dyno.id();
    }

    private String freeName(UUID appId) {
        for (int attempt = 0; attempt < 200; attempt++) {
            String name = "run." + (1000 + RANDOM.nextInt(9000));
            if (!rows.nameInUse(appId, name)) return name;
        }
        throw new Conflict("dyno", "Too many one-off dynos are running; try again when some have finished.");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
