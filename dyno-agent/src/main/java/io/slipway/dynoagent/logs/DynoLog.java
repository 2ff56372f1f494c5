package io.slipway.dynoagent.logs;

import io.slipway.shared.logs.LogShipper;
import java.util.UUID;

/** The log lines of one dyno: the platform's ({@code heroku[web.1]}) and the app's ({@code app[web.1]}). */
public final class DynoLog {
    private final LogShipper shipper;
    private final UUID appId;
    private final String dyno;

    public DynoLog(LogShipper shipper, UUID appId, String dyno) {
        this.shipper = shipper;
        this.appId = appId;
        this.dyno = dyno;
    }

    public void heroku(String message) {
        shipper.ship(appId, "heroku", dyno, message);
    }

    public void app(String line) {
        shipper.ship(appId, "app", dyno, line);
    }
}
