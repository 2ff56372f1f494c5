package io.slipway.api.slugs;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.Stacks;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.identity.Caller;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /apps/{app}/slugs} (Heroku's "deploying slugs using the Platform API"): records a slug whose
 * tarball the client then PUTs to the returned presigned URL, and releases with
 * {@code POST /apps/{app}/releases {"slug": id}}. Until that upload is verified the slug has no size and no
 * release can use it.
 */
@Service
public class CreateSlug {
    private final AppAccess access;
    private final SlugRepository slugs;
    private final ObjectStorage storage;

    public CreateSlug(AppAccess access, SlugRepository slugs, ObjectStorage storage) {
        this.access = access;
        this.slugs = slugs;
        this.storage = storage;
    }

    /** {@code description.stack} null: the app's stack. Fields are validated by the caller ({@link ProcessTypes}, {@link Texts}). */
    @Transactional
    public Created create(Caller caller, String appIdentity, Slug.Description description) {
        App app = access.visible(caller, appIdentity);
        storage.requireAvailable();
        String stack = Stacks.require(stackName(description.stack()), app.stack());
        Slug slug = slugs.save(new Slug(UUID.randomUUID(), app.id(), new Slug.Description(
                ProcessTypes.validate(description.processTypes()), description.checksum(), stack,
                description.buildpackProvidedDescription(), description.commit(), description.commitDescription())));
        return new Created(app, slug, storage.presignPut(slug.objectKey()));
    }

    public record Created(App app, Slug slug, String putUrl) {}

    /** {@code stack_identity} is a name or a stack's id. */
    private static String stackName(String identity) {
        if (identity == null) return null;
        for (String name : Stacks.AVAILABLE) if (Stacks.id(name).toString().equals(identity)) return name;
        return identity;
    }
}
