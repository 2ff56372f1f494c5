package io.slipway.api.appsetups;

import io.slipway.api.errors.DomainException;
import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.identity.Caller;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * One pass over the unfinished setups. Each step locks its row ({@code FOR UPDATE SKIP LOCKED}), so several
 * api-servers can poll; the download happens before the lock, and a step is repeated after a crash because the
 * phase only moves when its transaction commits. A step that fails rolls back whatever it changed and then
 * records the failure in a transaction of its own.
 */
@Service
public class RunAppSetups {
    private static final Logger log = LoggerFactory.getLogger(RunAppSetups.class);
    private final AppSetupRepository setups;
    private final AppRepository apps;
    private final AccountRepository accounts;
    private final SourceManifests sources;
    private final ApplyManifest applyManifest;
    private final FinishAppSetup finish;
    private final FinishPostdeploy finishPostdeploy;
    private final ObjectMapper mapper;
    private final TransactionTemplate tx;

    public RunAppSetups(AppSetupRepository setups, AppRepository apps, AccountRepository accounts,
                        SourceManifests sources, ApplyManifest applyManifest, FinishAppSetup finish,
                        FinishPostdeploy finishPostdeploy, ObjectMapper mapper, PlatformTransactionManager transactions) {
        this.setups = setups;
        this.apps = apps;
        this.accounts = accounts;
        this.sources = sources;
        this.applyManifest = applyManifest;
        this.finish = finish;
        this.finishPostdeploy = finishPostdeploy;
        this.mapper = mapper;
        this.tx = new TransactionTemplate(transactions);
    }

    public void runOnce() {
        for (UUID id : setups.findUnfinishedIds()) {
            try {
                step(id);
            } catch (RuntimeException e) {
                // one broken setup must not stop the others; it is retried on the next pass
                log.warn("App setup {} step failed: {}", id, e.toString());
            }
        }
    }

    private void step(UUID id) {
        AppSetup seen = setups.findById(id).orElse(null);
        if (seen == null) return;
        if (AppSetup.PHASE_FETCH.equals(seen.phase())) fetch(id, seen.sourceUrl());
        else if (AppSetup.PHASE_ADDONS.equals(seen.phase())) addons(id);
        else if (AppSetup.PHASE_BUILD.equals(seen.phase())) locked(id, AppSetup.PHASE_BUILD, finish::advance);
        else if (AppSetup.PHASE_POSTDEPLOY.equals(seen.phase())) finishPostdeploy.advance(id);
    }

    private void fetch(UUID id, String url) {
        AppJson manifest;
        try {
            Optional<String> text = sources.appJson(url);
            manifest = text.isPresent() ? AppJson.parse(mapper, text.get()) : AppJson.EMPTY;
        } catch (IOException e) {
            fail(id, "Could not read app.json from source_blob.url: " + e.getMessage());
            return;
        }
        locked(id, AppSetup.PHASE_FETCH, (setup, app, caller) -> applyManifest.configure(setup, app, caller, manifest));
    }

    /**
     * Takes the next add-on off the row's list and commits that, then creates it without holding the row: a
     * provider may take a while, and a crash in between skips that add-on rather than creating it twice. With
     * none left, the build is queued.
     */
    private void addons(UUID id) {
        AtomicReference<AppJson.AddonSpec> next = new AtomicReference<>();
        AtomicReference<App> app = new AtomicReference<>();
        AtomicReference<Caller> caller = new AtomicReference<>();
        locked(id, AppSetup.PHASE_ADDONS, (setup, a, c) -> {
            List<AppJson.AddonSpec> pending = mapper.readValue(setup.pendingAddons(), new TypeReference<>() {});
            if (pending.isEmpty()) {
                applyManifest.queueBuild(setup, a, c);
                return;
            }
            next.set(pending.get(0));
            app.set(a);
            caller.set(c);
            setup.addonTaken(mapper.writeValueAsString(pending.subList(1, pending.size())));
        });
        if (next.get() == null) return;
        try {
            applyManifest.createAddon(app.get(), caller.get(), next.get());
        } catch (ApplyManifest.SetupFailedException e) {
            fail(id, e.getMessage());
        } catch (RuntimeException e) {
            // it was taken off the list already: fail rather than silently go on without it
            log.warn("App setup {}: add-on {} failed", id, next.get().plan(), e);
            fail(id, "Could not provision the add-on " + next.get().plan() + ".");
        }
    }

    private interface Step {
        void run(AppSetup setup, App app, Caller caller);
    }

    private void locked(UUID id, String phase, Step step) {
        try {
            tx.executeWithoutResult(status -> {
                AppSetup setup = setups.lockUnfinished(id).orElse(null);
                if (setup == null || !phase.equals(setup.phase())) return; // another api-server has it, or did it
                App app = apps.findById(setup.appId()).orElseThrow(() -> new ApplyManifest.SetupFailedException("The app was deleted."));
                Account user = accounts.findById(setup.userId())
                        .orElseThrow(() -> new ApplyManifest.SetupFailedException("The account was deleted."));
                // never as an admin: a setup can do only what its user could do themselves
                step.run(setup, app, new Caller(user.id(), user.email(), false, null));
                setups.save(setup);
            });
        } catch (ApplyManifest.SetupFailedException | DomainException e) {
            fail(id, e.getMessage());
        }
    }

    private void fail(UUID id, String message) {
        tx.executeWithoutResult(status -> setups.lockUnfinished(id).ifPresent(s -> {
            s.fail(message);
            setups.save(s);
        }));
    }
}
