package io.slipway.api.releases;

import io.slipway.api.slugs.Slug;
import io.slipway.api.slugs.FindSlug;
import io.slipway.api.slugs.VerifySlugObject;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppLock;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /apps/{app}/releases {"slug": "<id>"}}: releases a slug uploaded through
 * {@code POST /apps/{app}/slugs} (or one a build made). The object is checked in storage first, outside the
 * transaction; a slug that was never uploaded answers 422 and nothing changes.
 */
@Service
public class ReleaseSlug {
    private final AppAccess access;
    private final AppLock appLock;
    private final FindSlug findSlug;
    private final VerifySlugObject verify;
    private final DeploySlug deploySlug;
    private final TransactionTemplate transaction;

    public ReleaseSlug(AppAccess access, AppLock appLock, FindSlug findSlug, VerifySlugObject verify,
                       DeploySlug deploySlug, PlatformTransactionManager transactions) {
        this.access = access;
        this.appLock = appLock;
        this.findSlug = findSlug;
        this.verify = verify;
        this.deploySlug = deploySlug;
        this.transaction = new TransactionTemplate(transactions);
    }

    public Release release(Caller caller, String appIdentity, String slugIdentity, String description) {
        App app = access.visible(caller, appIdentity);
        Slug slug = findSlug.of(app, slugIdentity);
        long size;
        try {
            size = verify.verify(slug, null);
        } catch (VerifySlugObject.Rejected e) {
            throw new InvalidInput(e.getMessage());
        }
        return transaction.execute(tx -> {
            App locked = appLock.lock(access.visible(caller, app.id().toString()));
            Slug current = findSlug.of(locked, slug.id().toString());
            return deploySlug.deploy(locked, current, size, description, caller.accountId());
        });
    }
}
