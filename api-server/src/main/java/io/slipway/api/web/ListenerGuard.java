package io.slipway.api.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Keeps the internal API and the Platform API apart, on the handler Spring matched (so on exactly what serves the
 * request, whatever spelling of the path led there: {@code /%69nternal/...}, {@code /internal;x=y/...},
 * {@code //internal/...}):
 * <ul>
 *   <li>a handler marked {@link InternalApi} is served only on the internal listener, and only to a component
 *       whose role it names (403 otherwise);</li>
 *   <li>every other handler only on the public listener.</li>
 * </ul>
 * A handler on the wrong listener answers {@code 404 not_found}, as an unknown path does: the public listener has
 * no internal API at all, and the internal one no Platform API.
 */
class ListenerGuard implements HandlerInterceptor {
    private final InternalListener listener;

    ListenerGuard(InternalListener listener) {
        this.listener = listener;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        InternalApi internal = handler instanceof HandlerMethod method ? internalApi(method) : null;
        boolean onInternalListener = listener.arrivedOn(request);
        if (onInternalListener != (internal != null)) throw ApiErrors.notFoundPath();
        if (internal == null) return true;
        Object caller = request.getAttribute(InternalCaller.ATTRIBUTE);
        if (!(caller instanceof InternalCaller component)) throw ApiErrors.unauthorized();
        if (Arrays.stream(internal.value()).noneMatch(r -> r == component.role())) {
            throw ApiErrors.forbidden("A " + component.role().wireName() + " token may not call this endpoint.");
        }
        return true;
    }

    /** The handler method's own annotation, else its controller's. */
    private static InternalApi internalApi(HandlerMethod method) {
        InternalApi onMethod = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), InternalApi.class);
        return onMethod != null ? onMethod
                : AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), InternalApi.class);
    }
}
