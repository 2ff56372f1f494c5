package io.slipway.api.addons;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.identity.Caller;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku addons:detach} ({@code DELETE /addon-attachments/{id}}, {@code DELETE /apps/{app}/addon-attachments/{name}}):
 * the attachment goes and its app loses its config vars in one release ({@code Detach NAME (@ref:...)}). The
 * add-on itself stays. Whoever can use the attachment's app may detach it.
 */
@Service
public class DetachAddon {
    private final AttachmentAccess access;
    private final AppLock appLock;
    private final AppRepository apps;
    private final AddonRepository addons;
    private final AddonAttachmentRepository attachments;
    private final AttachmentConfig attachmentConfig;

    public DetachAddon(AttachmentAccess access, AppLock appLock, AppRepository apps, AddonRepository addons,
                       AddonAttachmentRepository attachments, AttachmentConfig attachmentConfig) {
        this.access = access;
        this.appLock = appLock;
        this.apps = apps;
        this.addons = addons;
        this.attachments = attachments;
        this.attachmentConfig = attachmentConfig;
    }

    @Transactional
    public AddonAttachment detach(Caller caller, String appIdentity, String attachmentIdentity) {
        AddonAttachment attachment = access.detachable(caller, appIdentity, attachmentIdentity);
        App app = appLock.lock(apps.findById(attachment.appId()).orElseThrow());
        Addon addon = addons.findById(attachment.addonId()).orElseThrow();
        attachments.delete(attachment);
        attachments.flush();
        attachmentConfig.detach(app, addon, List.of(attachment.name()), caller.accountId());
        return attachment;
    }
}
