package io.slipway.api.support;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.DeploySlug;
import io.slipway.api.slugs.Slug;
import io.slipway.api.slugs.SlugRepository;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deploys the way a finished build does ({@link DeploySlug}: formation from the slug's process types, then a
 * release), without building or uploading anything: the runtime tests only need the release and its slug row.
 */
public final class TestDeploys {
    public static final String CHECKSUM = "SHA256:" + "ab".repeat(32);

    private TestDeploys() {}

    /** Returns the new release's id. */
    public static UUID deploy(ApplicationContext context, String appName, Map<String, String> processTypes) {
        TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        return tx.execute(status -> {
            App app = context.getBean(AppLock.class)
                    .lock(context.getBean(AppRepository.class).findByName(appName).orElseThrow());
            Slug slug = context.getBean(SlugRepository.class).save(new Slug(UUID.randomUUID(), app.id(),
                    new Slug.Description(processTypes, CHECKSUM, "heroku-24", null, "0123456789abcdef", null)));
            Release release = context.getBean(DeploySlug.class).deploy(app, slug, 1234, null, null);
            return release.id();
        });
    }

    /** Polls (every 50 ms, up to 30 s) until the condition holds. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
