package io.slipway.api.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller (or one handler method, which then overrides its class) as part of the internal API.
 * {@link ListenerGuard} serves such handlers only on the internal listener, and only to a component token of one
 * of {@link #value()}; every other handler only on the public listener. The decision is made on the handler
 * Spring matched, never on the request's URI text, so no spelling of a path can cross from one side to the other.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface InternalApi {
    /** The component roles allowed to call the handler(s). */
    ComponentRole[] value();
}
