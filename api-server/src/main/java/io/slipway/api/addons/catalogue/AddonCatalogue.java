package io.slipway.api.addons.catalogue;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import io.slipway.api.ApiServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The add-on services and plans this platform offers ({@code GET /addon-services}, {@code addons:plans}).
 * Built in: Heroku's current plan names with limits close to Heroku's; an operator replaces a service's plans
 * with {@code SLIPWAY_ADDONS_PLANS_FILE}, a JSON object of service name to a list of plans, e.g.
 * <pre>{"heroku-postgresql": [{"name": "heroku-postgresql:small", "human_name": "Small", "default": true,
 *   "max_connections": 20, "storage_mb": 512}]}</pre>
 */
@Component
public class AddonCatalogue {
    private final Map<String, AddonService> services = new LinkedHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    public AddonCatalogue(ApiServerConfig config) {
        this(config.addons() == null ? "" : config.addons().plansFile());
    }

    AddonCatalogue(String plansFile) {
        Map<String, List<AddonPlan>> plans = new LinkedHashMap<>(builtInPlans());
        if (plansFile != null && !plansFile.isBlank()) plans.putAll(readPlans(Path.of(plansFile)));
        services.put("heroku-postgresql", new AddonService("heroku-postgresql", "Heroku Postgres", "DATABASE",
                "postgresql", plans.get("heroku-postgresql")));
        services.put("heroku-redis", new AddonService("heroku-redis", "Heroku Key-Value Store", "REDIS",
                "redis", plans.get("heroku-redis")));
    }

    public List<AddonService> services() {
        return List.copyOf(services.values());
    }

    /** By name or id. */
    public Optional<AddonService> service(String identity) {
        return services.values().stream()
                .filter(s -> s.name().equals(identity) || s.id().toString().equals(identity))
                .findFirst();
    }

    /** By full name ({@code heroku-postgresql:essential-0}) or id. */
    public Optional<AddonPlan> plan(String identity) {
        return services.values().stream().flatMap(s -> s.plans().stream())
                .filter(p -> p.name().equals(identity) || p.id().toString().equals(identity))
                .findFirst();
    }

    private static Map<String, List<AddonPlan>> builtInPlans() {
        return Map.of(
                "heroku-postgresql", List.of(
                        new AddonPlan("heroku-postgresql:essential-0", "Essential 0", true, 0, 20, 1024, 0, null),
                        new AddonPlan("heroku-postgresql:essential-1", "Essential 1", false, 0, 20, 10 * 1024, 0, null),
                        new AddonPlan("heroku-postgresql:essential-2", "Essential 2", false, 0, 40, 32 * 1024, 0, null),
                        new AddonPlan("heroku-postgresql:standard-0", "Standard 0", false, 0, 120, 64 * 1024, 0, null)),
                "heroku-redis", List.of(
                        new AddonPlan("heroku-redis:mini", "Mini", true, 0, 20, 0, 25, "noeviction"),
                        new AddonPlan("heroku-redis:premium-0", "Premium 0", false, 0, 40, 0, 50, "noeviction"),
                        new AddonPlan("heroku-redis:premium-1", "Premium 1", false, 0, 80, 0, 100, "noeviction"),
                        new AddonPlan("heroku-redis:premium-2", "Premium 2", false, 0, 200, 0, 250, "noeviction")));
    }

    private static Map<String, List<AddonPlan>> readPlans(Path file) {
        Map<String, List<Map<String, Object>>> raw;
        try {
            raw = JsonMapper.builder().build().readValue(Files.readString(file), new TypeReference<>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the add-on plans file " + file, e);
        }
        Map<String, List<AddonPlan>> plans = new LinkedHashMap<>();
        raw.forEach((service, entries) -> {
            List<AddonPlan> list = new ArrayList<>();
            for (Map<String, Object> e : entries) {
                String name = (String) e.get("name");
                if (name == null || !name.startsWith(service + ":")) {
                    throw new IllegalArgumentException("plan names in " + file + " must be '" + service + ":<plan>'");
                }
                list.add(new AddonPlan(name, (String) e.getOrDefault("human_name", name.substring(service.length() + 1)),
                        Boolean.TRUE.equals(e.get("default")), number(e, "price_cents"), number(e, "max_connections"),
                        number(e, "storage_mb"), number(e, "memory_mb"),
                        (String) e.getOrDefault("eviction_policy", service.equals("heroku-redis") ? "noeviction" : null)));
            }
            if (list.isEmpty()) throw new IllegalArgumentException(file + " gives " + service + " no plans");
            plans.put(service, List.copyOf(list));
        });
        return plans;
    }

    private static int number(Map<String, Object> entry, String key) {
        Object v = entry.get(key);
        return v == null ? 0 : ((Number) v).intValue();
    }
}
