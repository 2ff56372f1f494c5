package io.slipway.api.sniendpoints.web;

import io.slipway.api.sniendpoints.TlsTable;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.identity.Identities;
import io.slipway.api.web.InternalApi;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The router's certificates and keys (internal listener, router token only; docs/internal-api.md, TLS). */
@RestController
@InternalApi(ComponentRole.ROUTER)
public class InternalTlsController {
    private final TlsTable tls;

    public InternalTlsController(TlsTable tls) {
        this.tls = tls;
    }

    @GetMapping("/internal/tls")
    public TlsTable.Table all() {
        return tls.all();
    }

    @GetMapping("/internal/tls/{appId}")
    public TlsTable.AppTls one(@PathVariable String appId) {
        UUID id = Identities.uuidOrNull(appId);
        if (id == null) throw ApiErrors.notFound("app", appId);
        return tls.of(id).orElseThrow(() -> ApiErrors.notFound("app", appId));
    }
}
