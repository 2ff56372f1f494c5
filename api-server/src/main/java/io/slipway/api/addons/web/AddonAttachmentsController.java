package io.slipway.api.addons.web;

import io.slipway.api.addons.AddonAccess;
import io.slipway.api.addons.AddonListings;
import io.slipway.api.addons.AttachAddon;
import io.slipway.api.addons.AttachmentAccess;
import io.slipway.api.addons.DetachAddon;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** Platform API: add-on attachments ({@code addons:attach}, {@code addons:detach}, the lists {@code addons} reads). */
@RestController
public class AddonAttachmentsController {
    static final String INCLUSION = "Accept-Inclusion";
    private final AddonListings listings;
    private final AddonAccess addonAccess;
    private final AttachmentAccess attachmentAccess;
    private final AttachAddon attachAddon;
    private final DetachAddon detachAddon;
    private final AddonPresenter presenter;
    private final ObjectMapper mapper;

    public AddonAttachmentsController(AddonListings listings, AddonAccess addonAccess, AttachmentAccess attachmentAccess,
                                      AttachAddon attachAddon, DetachAddon detachAddon, AddonPresenter presenter,
                                      ObjectMapper mapper) {
        this.listings = listings;
        this.addonAccess = addonAccess;
        this.attachmentAccess = attachmentAccess;
        this.attachAddon = attachAddon;
        this.detachAddon = detachAddon;
        this.presenter = presenter;
        this.mapper = mapper;
    }

    @PostMapping("/addon-attachments")
    public ResponseEntity<AttachmentJson> attach(Caller caller, @RequestHeader(value = INCLUSION, required = false) String inclusion,
            @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        var attachment = attachAddon.attach(caller, new AttachAddon.Request(json.optIdentity("addon", "name", "id"),
                json.optIdentity("app", "name", "id"), json.optString("name"), json.optString("confirm"),
                json.optString("namespace")));
        return ResponseEntity.status(HttpStatus.CREATED).body(presenter.attachment(attachment, inclusion));
    }

    @GetMapping("/addon-attachments")
    public List<AttachmentJson> listAll(Caller caller, @RequestHeader(value = INCLUSION, required = false) String inclusion) {
        return listings.allAttachments(caller).stream().map(a -> presenter.attachment(a, inclusion)).toList();
    }

    @GetMapping("/apps/{app}/addon-attachments")
    public List<AttachmentJson> listForApp(Caller caller, @RequestHeader(value = INCLUSION, required = false) String inclusion,
            @PathVariable String app) {
        return listings.attachmentsOfApp(caller, app).stream().map(a -> presenter.attachment(a, inclusion)).toList();
    }

    @GetMapping("/addons/{addon}/addon-attachments")
    @Transactional(readOnly = true)
    public List<AttachmentJson> listForAddon(Caller caller, @RequestHeader(value = INCLUSION, required = false) String inclusion,
            @PathVariable String addon) {
        return listings.attachmentsOfAddon(caller, addonAccess.visible(caller, addon)).stream()
                .map(a -> presenter.attachment(a, inclusion)).toList();
    }

    @GetMapping("/addon-attachments/{attachment}")
    @Transactional(readOnly = true)
    public AttachmentJson info(Caller caller, @RequestHeader(value = INCLUSION, required = false) String inclusion,
            @PathVariable String attachment) {
        return presenter.attachment(attachmentAccess.visible(caller, null, attachment), inclusion);
    }

    @GetMapping("/apps/{app}/addon-attachments/{attachment}")
    @Transactional(readOnly = true)
    public AttachmentJson infoForApp(Caller caller, @RequestHeader(value = INCLUSION, required = false) String inclusion,
            @PathVariable String app, @PathVariable String attachment) {
        return presenter.attachment(attachmentAccess.visible(caller, app, attachment), inclusion);
    }

    @DeleteMapping("/addon-attachments/{attachment}")
    public AttachmentJson detach(Caller caller, @RequestHeader(value = INCLUSION, required = false) String inclusion,
            @PathVariable String attachment) {
        return presenter.attachment(detachAddon.detach(caller, null, attachment), inclusion);
    }

    @DeleteMapping("/apps/{app}/addon-attachments/{attachment}")
    public AttachmentJson detachFromApp(Caller caller, @RequestHeader(value = INCLUSION, required = false) String inclusion,
            @PathVariable String app, @PathVariable String attachment) {
        return presenter.attachment(detachAddon.detach(caller, app, attachment), inclusion);
    }
}
