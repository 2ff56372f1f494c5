package io.slipway.api.formation;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.limits.Quotas;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppLock;
import io.slipway.api.logs.AppLog;
import io.slipway.api.identity.Caller;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku ps:scale web=2:Standard-2X worker+1}: sets the quantity (absolute, or relative with a sign)
 * and/or size of existing process types. Types come from the Procfile ({@link DefineProcessTypes}); scaling
 * one the app does not have is refused, as on Heroku. All updates of a batch apply, or none; one
 * {@code formation.changed} event describes the result.
 *
 * <p>{@code release} (the release phase, which the formation list shows with quantity 0) is never scaled nor
 * resized: it runs once per release as the one-off {@code release.N}. A batch that resizes every listed type
 * ({@code heroku ps:type SIZE} sends one update per type, {@code release} included) resizes the others and
 * leaves {@code release} as it is; the answer and the next listing show its real size.
 */
@Service
public class ScaleFormation {
    public static final int MAX_QUANTITY = 100;
    private static final Pattern QUANTITY = Pattern.compile("^([+-]?)(\\d{1,6})$");

    private final AppAccess access;
    private final AppLock appLock;
    private final FormationRepository formations;
    private final FormationEvents formationEvents;
    private final FindFormation findFormation;
    private final AppLog appLog;
    private final Quotas quotas;

    public ScaleFormation(AppAccess access, AppLock appLock, FormationRepository formations,
                          FormationEvents formationEvents, FindFormation findFormation, AppLog appLog, Quotas quotas) {
        this.quotas = quotas;
        this.appLog = appLog;
        this.access = access;
        this.appLock = appLock;
        this.formations = formations;
        this.formationEvents = formationEvents;
        this.findFormation = findFormation;
    }

    /**
     * One change: {@code type} (the process type, or the formation's id), {@code quantity} as text ({@code "2"},
     * {@code "+1"}, {@code "-1"}; null keeps it), {@code size} a dyno size name or id (null keeps it).
     */
    public record Update(String type, String quantity, String size) {}

    /** {@code PATCH /apps/{app}/formation}: returns the whole formation afterwards. */
    @Transactional
    public List<Formation> scale(Caller caller, String appIdentity, List<Update> updates) {
        App app = appLock.lock(access.visible(caller, appIdentity));
        long before = quotas.formationDynos(app);
        boolean changed = false;
        for (Update update : updates) {
            if (releasePhase(update.type())) {
                if (update.quantity() == null && updates.size() > 1) continue;
                throw releasePhaseNotScalable();
            }
            Formation formation = findFormation.of(app, update.type()).orElseThrow(() -> new InvalidInput(
                    "No such process type " + update.type() + " defined in Procfile."));
            changed |= apply(formation, update);
        }
        if (!changed) return formations.findByAppIdOrderByType(app.id());
        formations.flush();
        quotas.requireDynos(app, before);
        List<Formation> after = formationEvents.changed(app);
        logScaled(caller, app, after);
        return after;
    }

    /** {@code PATCH /apps/{app}/formation/{type}}: the path names the type, so an unknown one is not found. */
    @Transactional
    public Formation scaleOne(Caller caller, String appIdentity, String formationIdentity, String quantity, String size) {
        App app = appLock.lock(access.visible(caller, appIdentity));
        if (releasePhase(formationIdentity)) throw releasePhaseNotScalable();
        Formation formation = findFormation.of(app, formationIdentity)
                .orElseThrow(() -> new NotFound("formation", formationIdentity));
        long before = quotas.formationDynos(app);
        if (apply(formation, new Update(formation.type(), quantity, size))) {
            formations.flush();
            quotas.requireDynos(app, before);
            logScaled(caller, app, formationEvents.changed(app));
        }
        return formation;
    }

    private static boolean releasePhase(String type) {
        return DefineProcessTypes.RELEASE_PHASE.equals(type);
    }

    private static InvalidInput releasePhaseNotScalable() {
        return new InvalidInput("Cannot scale or resize release: it is the release phase, which runs once per release "
                + "as the one-off dyno release.N (on " + DefineProcessTypes.RELEASE_PHASE_SIZE.herokuName() + " dynos), not as a formation.");
    }

    /** Heroku's line lists the whole formation afterwards: {@code Scaled to web@2:Basic worker@1:Basic by user a@b.c}. */
    private void logScaled(Caller caller, App app, List<Formation> formation) {
        StringBuilder text = new StringBuilder("Scaled to");
        for (Formation f : formation) text.append(' ').append(f.type()).append('@').append(f.quantity()).append(':').append(f.size());
        appLog.api(app.id(), AppLog.byUser(text.toString(), caller.email()));
    }

    private boolean apply(Formation formation, Update update) {
        int quantity = update.quantity() == null ? formation.quantity() : quantity(formation, update.quantity());
        String size = update.size() == null ? formation.size() : DynoSizes.require(update.size()).herokuName();
        boolean changed = formation.scale(quantity, size);
        if (changed) formations.save(formation);
        return changed;
    }

    private static int quantity(Formation formation, String text) {
        Matcher m = QUANTITY.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidInput("Invalid quantity " + text + " for " + formation.type()
                    + ": use a number such as 2, or +1 / -1 to scale relative to now.");
        }
        int n = Integer.parseInt(m.group(2));
        int result = switch (m.group(1)) {
            case "+" -> formation.quantity() + n;
            case "-" -> formation.quantity() - n;
            default -> n;
        };
        if (result < 0 || result > MAX_QUANTITY) {
            throw new InvalidInput("Cannot scale " + formation.type() + " to " + result
                    + ": the quantity must be between 0 and " + MAX_QUANTITY + ".");
        }
        return result;
    }
}
