package io.slipway.api.web;

import java.time.Instant;
import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * JSON as Heroku writes it: snake_case names, nulls kept, timestamps as ISO-8601 in whole seconds
 * ({@code 2026-11-22T02:19:40Z}). Every handler goes through {@link ListenerGuard}: the internal API only on its
 * own listener, the Platform API only on the public one.
 */
@Configuration
public class WebConfig implements WebMvcConfigurer {
    private final InternalListener internalListener;

    public WebConfig(InternalListener internalListener) {
        this.internalListener = internalListener;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
        resolvers.add(new InternalCallerArgumentResolver());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ListenerGuard(internalListener));
    }

    /** Handler lookup narrowed by the path's first segment ({@link IndexedRequestMappings}: why, and why it is safe). */
    @Bean
    WebMvcRegistrations indexedRequestMappings() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new IndexedRequestMappings();
            }
        };
    }

    @Bean
    JsonMapperBuilderCustomizer herokuJson() {
        SimpleModule instants = new SimpleModule("heroku-instants");
        instants.addSerializer(Instant.class, new ValueSerializer<Instant>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
                gen.writeString(HerokuTimestamps.format(value));
            }
        });
        return builder -> builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(instants);
    }
}
