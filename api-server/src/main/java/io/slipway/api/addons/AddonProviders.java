package io.slipway.api.addons;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.Unavailable;
import io.slipway.api.addons.provider.AddonProvider;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.stereotype.Component;

/**
 * Service name to the {@link AddonProvider} bean that makes it. Two beans for one service are a wiring mistake
 * unless one is {@code @Primary} (that one wins: a test replaces a real provider this way); startup fails
 * otherwise, rather than picking one silently.
 */
@Component
public class AddonProviders {
    private final Map<String, AddonProvider> byService = new HashMap<>();

    public AddonProviders(ConfigurableListableBeanFactory beans) {
        Map<String, Boolean> primary = new HashMap<>();
        for (String name : beans.getBeanNamesForType(AddonProvider.class)) {
            AddonProvider provider = beans.getBean(name, AddonProvider.class);
            boolean isPrimary = beans.containsBeanDefinition(name) && beans.getBeanDefinition(name).isPrimary();
            String service = provider.service();
            Boolean seenPrimary = primary.get(service);
            if (seenPrimary == null || (isPrimary && !seenPrimary)) {
                byService.put(service, provider);
                primary.put(service, isPrimary);
            } else if (isPrimary == seenPrimary) {
                throw new IllegalStateException("two add-on providers for " + service + "; mark one @Primary");
            }
        }
    }

    /** The provider of {@code service}, ready to provision; otherwise a 422 saying what the operator must do. */
    public AddonProvider ready(String service) {
        AddonProvider provider = byService.get(service);
        if (provider == null) {
            throw new InvalidInput(service + " is not available on this Slipway platform: no provider is "
                    + "installed for it. Ask the platform operator.");
        }
        String missing = provider.missingConfiguration();
        if (missing != null) {
            throw new InvalidInput(service + " is not configured on this Slipway platform: the operator must set "
                    + missing + ".");
        }
        return provider;
    }

    /** For destroy and plan changes of existing add-ons: the provider even if its configuration went missing. */
    public AddonProvider of(String service) {
        AddonProvider provider = byService.get(service);
        if (provider == null) {
            throw new Unavailable("No provider is installed for " + service + " any more; the operator must "
                    + "install it again before its add-ons can be changed or destroyed.");
        }
        return provider;
    }
}
