package io.slipway.api.addons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.errors.InvalidInput;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

/** How {@link AddonProviders} picks the provider of a service among the beans (no Spring context needed). */
class AddonProvidersTest {

    @Test
    void thePrimaryProviderWinsWhicheverIsRegisteredFirst() {
        for (boolean primaryFirst : new boolean[] {true, false}) {
            DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
            if (primaryFirst) register(beans, "fake", true);
            register(beans, "real", false);
            if (!primaryFirst) register(beans, "fake", true);
            assertThat(new AddonProviders(beans).ready("heroku-postgresql")).isSameAs(beans.getBean("fake"));
        }
    }

    @Test
    void twoProvidersForOneServiceWithoutAPrimaryFailStartup() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        register(beans, "one", false);
        register(beans, "two", false);
        assertThatThrownBy(() -> new AddonProviders(beans)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("heroku-postgresql");
    }

    @Test
    void aMissingOrUnconfiguredProviderIsA422NamingWhatToSet() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        register(beans, "pg", false);
        AddonProviders providers = new AddonProviders(beans);
        assertThatThrownBy(() -> providers.ready("heroku-redis")).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("heroku-redis is not available");
        ((FakeAddonProviders.Fake) beans.getBean("pg")).missing = "SLIPWAY_ADDONS_POSTGRES_ADMIN_URL";
        assertThatThrownBy(() -> providers.ready("heroku-postgresql")).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("SLIPWAY_ADDONS_POSTGRES_ADMIN_URL");
        assertThat(providers.of("heroku-postgresql")).isSameAs(beans.getBean("pg"));
    }

    private static void register(DefaultListableBeanFactory beans, String name, boolean primary) {
        RootBeanDefinition definition = new RootBeanDefinition(FakeAddonProviders.Fake.class,
                () -> new FakeAddonProviders.Fake("heroku-postgresql", "postgres"));
        definition.setPrimary(primary);
        beans.registerBeanDefinition(name, definition);
    }
}
