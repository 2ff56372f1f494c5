package io.slipway.api.apps;

import io.slipway.api.errors.NotFound;
import io.slipway.api.identity.Caller;
import io.slipway.api.identity.Identities;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * {@code heroku apps:info} ({@code GET /apps/{app}}): the app by name or id, only if the caller owns or
 * collaborates on it, else {@code not_found} exactly like a missing app ({@link AppAccess#visible}'s rule).
 * Why not through {@link AppAccess}: the most frequent call of the API cost a Hibernate session, a read-only
 * transaction and, for a collaborator, two more lookups; this is one autocommit query of the shown columns,
 * visibility and owner's email included.
 */
@Service
public class ShowApp {
    private static final String BY_ID = ListApps.SELECT + " AND a.id = ?";
    private static final String BY_NAME = ListApps.SELECT + " AND a.name = ?";

    private final JdbcTemplate jdbc;

    public ShowApp(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public AppSummary visible(Caller caller, String identity) {
        if (identity == null) throw new NotFound("app", identity);
        UUID id = Identities.uuidOrNull(identity);
        List<AppSummary> found = jdbc.query(id != null ? BY_ID : BY_NAME, (rs, i) -> ListApps.summary(rs),
                caller.accountId(), caller.accountId(), id != null ? id : identity);
        if (found.isEmpty()) throw new NotFound("app", identity);
        return found.get(0);
    }
}
