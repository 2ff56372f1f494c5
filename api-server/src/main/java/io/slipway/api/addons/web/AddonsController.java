package io.slipway.api.addons.web;

import io.slipway.api.apps.AppAccess;
import io.slipway.api.web.ApiException;
import io.slipway.api.web.Caller;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Add-ons are not offered yet. Listings answer truthfully with no add-ons (the CLI's {@code apps:info} and
 * {@code addons} read them); provisioning answers a clear error instead of pretending.
 */
@RestController
public class AddonsController {
    private final AppAccess access;

    public AddonsController(AppAccess access) {
        this.access = access;
    }

    @GetMapping({"/addons", "/addon-attachments"})
    public List<Object> listAll(Caller caller) {
        return List.of();
    }

    @GetMapping({"/apps/{app}/addons", "/apps/{app}/addon-attachments"})
    public List<Object> listForApp(Caller caller, @PathVariable String app) {
        access.visible(caller, app);
        return List.of();
    }

    @PostMapping("/apps/{app}/addons")
    public Object create(Caller caller, @PathVariable String app) {
        access.visible(caller, app);
        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_params",
                "Add-ons are not available on this Slipway platform yet.", "addon");
    }
}
