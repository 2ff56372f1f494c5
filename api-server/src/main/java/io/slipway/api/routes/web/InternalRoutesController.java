package io.slipway.api.routes.web;

import io.slipway.api.routes.AppRoutes;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.identity.Identities;
import io.slipway.api.web.InternalApi;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The router's routing table (internal listener, router token; docs/internal-api.md). */
@RestController
@InternalApi(ComponentRole.ROUTER)
public class InternalRoutesController {
    private final AppRoutes routes;

    public InternalRoutesController(AppRoutes routes) {
        this.routes = routes;
    }

    @GetMapping("/internal/routes")
    public AppRoutes.Table all() {
        return routes.all();
    }

    @GetMapping("/internal/routes/{appId}")
    public AppRoutes.Route one(@PathVariable String appId) {
        UUID id = Identities.uuidOrNull(appId);
        if (id == null) throw ApiErrors.notFound("app", appId);
        return routes.of(id).orElseThrow(() -> ApiErrors.notFound("app", appId));
    }
}
