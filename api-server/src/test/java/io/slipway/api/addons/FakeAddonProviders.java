package io.slipway.api.addons;

import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.provider.AddonProvider;
import io.slipway.api.addons.provider.Provisioned;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Stand-in providers for the add-on API tests (the API is under test, not the databases): {@code @Primary}, so
 * they replace the real heroku-postgresql and heroku-redis providers in the contexts that import this. They keep
 * which resources exist, so a test can see that a destroy really deprovisioned. An add-on named
 * {@code fail-...} fails to provision.
 */
@TestConfiguration
public class FakeAddonProviders {

    @Bean
    @Primary
    public Fake fakePostgres() {
        return new Fake("heroku-postgresql", "postgres");
    }

    @Bean
    @Primary
    public Fake fakeRedis() {
        return new Fake("heroku-redis", "redis");
    }

    public static final class Fake implements AddonProvider {
        private final String service;
        private final String scheme;
        /** provider id → add-on name, of resources that exist now */
        public final Map<String, String> live = new ConcurrentHashMap<>();
        public final Set<String> deprovisioned = ConcurrentHashMap.newKeySet();
        public volatile String missing;

        Fake(String service, String scheme) {
            this.service = service;
            this.scheme = scheme;
        }

        @Override
        public String service() {
            return service;
        }

        @Override
        public String missingConfiguration() {
            return missing;
        }

        @Override
        public Provisioned provision(Addon addon, AddonPlan plan) {
            if (addon.name().startsWith("fail-")) throw new IllegalStateException("the fake server is down");
            String id = "res-" + addon.id();
            live.put(id, addon.name());
            return new Provisioned(id, Map.of("URL", scheme + "://u-" + addon.id() + ":secret@127.0.0.1:1/" + addon.name()));
        }

        @Override
        public Provisioned changePlan(Addon addon, AddonPlan from, AddonPlan to) {
            return null;
        }

        @Override
        public void deprovision(Addon addon) {
            if (addon.providerId() != null) live.remove(addon.providerId());
            deprovisioned.add(addon.name());
        }
    }
}
