package io.slipway.api.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<Handler, Optional<InternalApi>> annotations = new ConcurrentHashMap<>();

    /** A controller's method: the same method inherited by two controllers may be marked on one only. */
    private record Handler(Class<?> controller, Method method) {}

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

    /**
     * The handler method's own annotation, else its controller's; looked up once per handler method (a fixed set),
     * since the merged-annotation search walks the class and its interfaces on every call.
     */
    private InternalApi internalApi(HandlerMethod method) {
        return annotations.computeIfAbsent(new Handler(method.getBeanType(), method.getMethod()), h -> {
            InternalApi onMethod = AnnotatedElementUtils.findMergedAnnotation(h.method(), InternalApi.class);
            return Optional.ofNullable(onMethod != null ? onMethod
                    : AnnotatedElementUtils.findMergedAnnotation(h.controller(), InternalApi.class));
        }).orElse(null);
    }
}
