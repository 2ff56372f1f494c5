package io.slipway.api.addons.web;

import io.slipway.api.addons.ResolveAddons;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** Platform API: the resolvers the CLI calls before {@code addons:info}, {@code addons:upgrade} and {@code pg:*}. */
@RestController
public class AddonActionsController {
    private final ResolveAddons resolve;
    private final AddonPresenter presenter;
    private final ObjectMapper mapper;

    public AddonActionsController(ResolveAddons resolve, AddonPresenter presenter, ObjectMapper mapper) {
        this.resolve = resolve;
        this.presenter = presenter;
        this.mapper = mapper;
    }

    @PostMapping("/actions/addons/resolve")
    public List<AddonJson> resolveAddons(Caller caller, @RequestBody(required = false) String body,
                                         @RequestHeader(value = "Accept-Expansion", required = false) String expansion) {
        JsonBody json = JsonBody.parse(mapper, body);
        var expand = AddonsController.expand(expansion);
        return resolve.addons(caller, json.optString("addon"), json.optString("app"), json.optString("addon_service"))
                .stream().map(a -> presenter.addon(a, expand)).toList();
    }

    @PostMapping("/actions/addon-attachments/resolve")
    public List<AttachmentJson> resolveAttachments(Caller caller, @RequestHeader(value = AddonAttachmentsController.INCLUSION, required = false) String inclusion,
            @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        return resolve.attachments(caller, json.optString("addon_attachment"), json.optString("app"),
                        json.optString("addon_service"))
                .stream().map(a -> presenter.attachment(a, inclusion)).toList();
    }
}
