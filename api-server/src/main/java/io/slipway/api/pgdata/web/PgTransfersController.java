package io.slipway.api.pgdata.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.pgdata.AppTransfers;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Heroku's data API for an app's transfers (backups and restores), as {@code heroku pg:backups*} calls it. */
@RestController
public class PgTransfersController {
    private final AppTransfers transfers;
    private final ApiServerConfig config;

    public PgTransfersController(AppTransfers transfers, ApiServerConfig config) {
        this.transfers = transfers;
        this.config = config;
    }

    @GetMapping("/client/v11/apps/{app}/transfers")
    public List<Map<String, Object>> list(Caller caller, @PathVariable String app) {
        AppTransfers.Listed listed = transfers.list(caller, app);
        return listed.transfers().stream().map(t -> PgJson.transfer(t, listed.app().name(), false)).toList();
    }

    @GetMapping("/client/v11/apps/{app}/transfers/{id}")
    public Map<String, Object> info(Caller caller, @PathVariable String app, @PathVariable String id,
                                    @RequestParam(value = "verbose", required = false) String verbose) {
        AppTransfers.Found found = transfers.find(caller, app, id);
        return PgJson.transfer(found.transfer(), found.app().name(), "true".equals(verbose));
    }

    @PostMapping("/client/v11/apps/{app}/transfers/{id}/actions/public-url")
    public Map<String, Object> publicUrl(Caller caller, @PathVariable String app, @PathVariable String id) {
        String url = transfers.publicUrl(caller, app, id);
        return Map.of("url", url, "expires_at", PgJson.time(Instant.now().plus(config.s3().presignTtl())));
    }

    @DeleteMapping("/client/v11/apps/{app}/transfers/{id}")
    public Map<String, Object> delete(Caller caller, @PathVariable String app, @PathVariable String id) {
        var t = transfers.delete(caller, app, id);
        return PgJson.transfer(t, null, false);
    }

    /** Transfers here run to the end: there is no way to stop pg_dump half-way that leaves a usable state. */
    @PostMapping("/client/v11/apps/{app}/transfers/{id}/actions/cancel")
    public Map<String, Object> cancel(Caller caller, @PathVariable String app, @PathVariable String id) {
        transfers.find(caller, app, id);
        throw ApiErrors.invalidParams("Cancelling a transfer is not supported on this Slipway platform.");
    }
}
