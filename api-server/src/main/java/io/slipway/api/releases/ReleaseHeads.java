package io.slipway.api.releases;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The two facts about an app's newest releases that every config change reads: the last version number and what
 * the current release runs. Plain SQL in the caller's transaction rather than {@link ReleaseRepository}'s queries:
 * a JPA query first dirty-checks the whole session (the locked app with its new config is in it) and goes through
 * Hibernate's query machinery, about a tenth of a config change's CPU in a profile, to read two numbers. Neither
 * fact can be pending in the session: releases are flushed as they are created and their versions never change.
 */
@Component
public class ReleaseHeads {
    private final JdbcTemplate jdbc;

    public ReleaseHeads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The newest release's version, 0 before the first. */
    public int lastVersion(UUID appId) {
        Integer v = jdbc.queryForObject("SELECT COALESCE(MAX(version), 0) FROM releases WHERE app_id = ?", Integer.class, appId);
        return v == null ? 0 : v;
    }

    /**
     * What the current release (the newest that succeeded) runs, or nothing before the first. Two columns, not the
     * release: loading it would decrypt its whole config snapshot, all to read two ids.
     */
    public Optional<Artifact> currentArtifact(UUID appId) {
        List<Artifact> found = jdbc.query("SELECT slug_id, image_id FROM releases WHERE app_id = ? AND status = '"
                        + Release.SUCCEEDED + "' ORDER BY version DESC LIMIT 1",
                (rs, i) -> new Artifact(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)), appId);
        return found.stream().findFirst();
    }
}
