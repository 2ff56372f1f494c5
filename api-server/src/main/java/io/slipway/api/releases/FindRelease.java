package io.slipway.api.releases;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.identity.Identities;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A release of an app by Heroku's {@code release_identity}: its id, or its version ({@code 12}; the
 * {@code v12} that users type is accepted too). Anything else, or another app's release, is not found.
 */
@Component
public class FindRelease {
    private final ReleaseRepository releases;

    public FindRelease(ReleaseRepository releases) {
        this.releases = releases;
    }

    @Transactional(readOnly = true)
    public Release of(App app, String identity) {
        Release release = null;
        UUID id = Identities.uuidOrNull(identity);
        if (id != null) {
            release = releases.findById(id).filter(r -> r.appId().equals(app.id())).orElse(null);
        } else {
            Integer version = version(identity);
            if (version != null) release = releases.findByAppIdAndVersion(app.id(), version).orElse(null);
        }
        if (release == null) throw new NotFound("release", identity);
        return release;
    }

    private static Integer version(String s) {
        if (s == null) return null;
        String digits = s.startsWith("v") || s.startsWith("V") ? s.substring(1) : s;
        if (!digits.matches("\\d{1,9}")) return null;
        return Integer.parseInt(digits);
    }
}
