package io.slipway.api.formation;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.shared.dynos.DynoSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes an app's formation follow the process types of a new release (its Procfile), as Heroku does on
 * deploy. The deploy pipeline calls this in the transaction that creates a release with
 * {@code process_types}:
 * <ul>
 *   <li>a new type gets a formation row: {@code web} with 1 dyno, any other type with 0 (scale it with
 *       {@code ps:scale}), size {@link DynoSize#DEFAULT};</li>
 *   <li>an existing type keeps its quantity and size; only its command follows the Procfile;</li>
 *   <li>a type the Procfile no longer has is removed (its dynos are stopped by the runtime);</li>
 *   <li>{@code release} is Heroku's release-phase command, run once per release, never scaled: it gets no
 *       formation row.</li>
 * </ul>
 * Writes one {@code formation.changed} event when anything changed. Runs in the caller's transaction, or its
 * own when called alone.
 */
@Service
public class DefineProcessTypes {
    /** Heroku's {@code formation.type} pattern. */
    public static final Pattern TYPE = Pattern.compile("^[-\\w]{1,128}$");
    public static final String RELEASE_PHASE = "release";
    /** The size of the release phase's one-off dyno: fixed (it cannot be resized yet). */
    public static final DynoSize RELEASE_PHASE_SIZE = DynoSize.DEFAULT;

    private final FormationRepository formations;
    private final FormationEvents formationEvents;

    public DefineProcessTypes(FormationRepository formations, FormationEvents formationEvents) {
        this.formations = formations;
        this.formationEvents = formationEvents;
    }

    /** {@code processTypes}: type → command. Returns the app's formation afterwards, ordered by type. */
    @Transactional
    public List<Formation> define(App app, Map<String, String> processTypes) {
        processTypes.forEach((type, command) -> {
            if (type == null || !TYPE.matcher(type).matches()) {
                throw new InvalidInput("Invalid process type " + type + ": use letters, digits, - and _ (at most 128).");
            }
            if (command == null || command.isBlank()) {
                throw new InvalidInput("Process type " + type + " has no command.");
            }
        });
        boolean changed = false;
        List<Formation> existing = new ArrayList<>(formations.findByAppIdOrderByType(app.id()));
        for (Formation f : existing) {
            String command = processTypes.get(f.type());
            if (command == null || f.type().equals(RELEASE_PHASE)) {
                formations.delete(f);
                changed = true;
            } else if (f.changeCommand(command)) {
                formations.save(f);
                changed = true;
            }
        }
        for (var entry : processTypes.entrySet()) {
            String type = entry.getKey();
            if (type.equals(RELEASE_PHASE) || existing.stream().anyMatch(f -> f.type().equals(type))) continue;
            int quantity = type.equals("web") ? 1 : 0;
            formations.save(new Formation(app.id(), type, quantity, DynoSize.DEFAULT.herokuName(), entry.getValue()));
            changed = true;
        }
        return changed ? formationEvents.changed(app) : formations.findByAppIdOrderByType(app.id());
    }
}
