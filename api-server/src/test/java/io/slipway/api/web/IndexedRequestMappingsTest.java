package io.slipway.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The narrowed handler lookup answers exactly what Spring's full scan answers: for a request made from every
 * mapping of the API (its method, a path from its pattern), and for paths chosen to be read differently (a
 * percent-encoded first segment, a matrix parameter, the wrong case, unknown paths), the chosen handler method
 * or the error is the same as a plain {@link RequestMappingHandlerMapping}'s holding the same mappings.
 */
class IndexedRequestMappingsTest extends ApiTest {
    @Autowired
    ApplicationContext context;
    @Autowired
    RequestMappingHandlerMapping mappings;

    @Test
    void theApiUsesTheIndexedLookup() {
        assertThat(mappings).isInstanceOf(IndexedRequestMappings.class);
    }

    @Test
    void everyMappingAndOddPathsGetSpringsOwnAnswer() throws Exception {
        RequestMappingHandlerMapping plain = new RequestMappingHandlerMapping();
        plain.setApplicationContext(context);
        Map<RequestMappingInfo, HandlerMethod> all = mappings.getHandlerMethods();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : all.entrySet()) {
            plain.registerMapping(e.getKey(), e.getValue().getBean(), e.getValue().getMethod());
        }
        Set<String[]> requests = new LinkedHashSet<>();
        for (RequestMappingInfo info : all.keySet()) {
            Set<org.springframework.web.bind.annotation.RequestMethod> methods = info.getMethodsCondition().getMethods();
            List<String> names = methods.isEmpty() ? List.of("GET") : methods.stream().map(Enum::name).toList();
            for (PathPattern pattern : info.getPathPatternsCondition().getPatterns()) {
                String path = concrete(pattern.getPatternString());
                for (String method : names) {
                    requests.add(new String[] {method, path});
                    requests.add(new String[] {method, path + "/extra"});
                }
            }
        }
        for (String path : List.of("/%61pps/x", "/apps;v=1/x", "/apps/x;v=1", "/APPS/x", "/nope/x", "/", "/apps/",
                "/apps//x", "/apps/x/../y", "/apps/%2e%2e/x", "/addons/x", "/account/keys/x")) {
            for (String method : List.of("GET", "POST", "PATCH", "DELETE", "PUT")) requests.add(new String[] {method, path});
        }
        int compared = 0;
        for (String[] r : requests) {
            assertThat(answer(mappings, r[0], r[1])).as(r[0] + " " + r[1]).isEqualTo(answer(plain, r[0], r[1]));
            compared++;
        }
        assertThat(compared).isGreaterThan(all.size());
    }

    /** {@code /apps/{app}/config-vars} → {@code /apps/v1/config-vars}; a catch-all gets two segments. */
    private static String concrete(String pattern) {
        return pattern.replaceAll("\\{\\*[^}]+}", "a/b").replace("/**", "/a/b").replaceAll("\\{[^}]+}", "v1");
    }

    /** The handler method chosen, or the error's type, or "none". */
    private static String answer(RequestMappingHandlerMapping mapping, String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.addHeader("Accept", "application/vnd.heroku+json; version=3");
        request.setContentType("application/json");
        ServletRequestPathUtils.parseAndCache(request);
        try {
            HandlerExecutionChain chain = mapping.getHandler(request);
            if (chain == null) return "none";
            HandlerMethod chosen = (HandlerMethod) chain.getHandler();
            return chosen.getMethod().toGenericString() + " vars " + request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        } catch (Exception e) {
            return e.getClass().getName();
        }
    }

    /** Mappings made to overlap (the API's own never match one path twice): the best one must still win. */
    @Test
    void overlappingMappingsAreRankedAsSpringRanksThem() throws Exception {
        org.springframework.web.context.support.StaticWebApplicationContext overlapping =
                new org.springframework.web.context.support.StaticWebApplicationContext();
        overlapping.registerSingleton("overlap", Overlapping.class);
        overlapping.refresh();
        IndexedRequestMappings indexed = new IndexedRequestMappings();
        indexed.setApplicationContext(overlapping);
        indexed.afterPropertiesSet();
        RequestMappingHandlerMapping plain = new RequestMappingHandlerMapping();
        plain.setApplicationContext(overlapping);
        plain.afterPropertiesSet();
        for (String path : List.of("/things/1/x", "/things/1/2", "/other/y", "/things/y", "/things/1/x/z", "/nope")) {
            for (String method : List.of("GET", "POST")) {
                assertThat(answer(indexed, method, path)).as(method + " " + path).isEqualTo(answer(plain, method, path));
            }
        }
        assertThat(answer(indexed, "GET", "/things/1/x")).contains("literal(");
        assertThat(answer(indexed, "GET", "/things/y")).contains("firstIsAPattern(");
    }

    @org.springframework.web.bind.annotation.RestController
    static class Overlapping {
        @org.springframework.web.bind.annotation.GetMapping("/things/{a}/x")
        public String literal() { return "literal"; }

        @org.springframework.web.bind.annotation.GetMapping("/things/{a}/{b}")
        public String variables() { return "variables"; }

        @org.springframework.web.bind.annotation.GetMapping("/{any}/y")
        public String firstIsAPattern() { return "first"; }

        @org.springframework.web.bind.annotation.PostMapping("/things/{a}/{b}")
        public String post() { return "post"; }
    }

    @Test
    void firstSegments() {
        assertThat(IndexedRequestMappings.firstSegment("/apps/x/y")).isEqualTo("apps");
        assertThat(IndexedRequestMappings.firstSegment("/apps")).isEqualTo("apps");
        assertThat(IndexedRequestMappings.firstSegment("/")).isEmpty();
    }
}
