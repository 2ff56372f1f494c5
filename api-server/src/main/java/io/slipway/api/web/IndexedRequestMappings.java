package io.slipway.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's handler lookup, narrowed by the path's first segment. For a path with a variable in it
 * ({@code /apps/{app}}) Spring tries every one of the API's ~300 mappings in turn, conditions and pattern each:
 * 11 % of a {@code GET /apps/{app}}'s CPU in the profile of issue 13 (docs/benchmarks.md). Here the mappings are
 * grouped once by their first segment, and a request is matched only against its group and the mappings whose
 * first segment is itself a pattern; what matches is ranked with Spring's own comparator.
 *
 * <p>The answer must be Spring's, so anything this index might see differently goes to Spring's own lookup: a
 * path Spring finds by direct lookup, a first segment with a {@code %} (Spring matches segments decoded), a CORS
 * pre-flight, no match (Spring then builds the 404/405/406/415), and two equally good matches (Spring's ambiguity
 * error). A mapping whose first literal segment differs from the request's cannot match it, so the narrowed
 * candidates hold every mapping Spring's full scan could have picked.
 */
public class IndexedRequestMappings extends RequestMappingHandlerMapping {
    private record Candidate(RequestMappingInfo info, HandlerMethod handler) {}

    private record Matched(RequestMappingInfo mapping, HandlerMethod handler) {}

    private record Index(Set<String> directPaths, Map<String, List<Candidate>> byFirstSegment, List<Candidate> anyFirst) {
        List<Candidate> candidates(String firstSegment) {
            List<Candidate> group = byFirstSegment.get(firstSegment);
            if (group == null) return anyFirst;
            if (anyFirst.isEmpty()) return group;
            List<Candidate> all = new ArrayList<>(group);
            all.addAll(anyFirst);
            return all;
        }
    }

    private volatile Index index;

    @Override
    protected void handlerMethodsInitialized(Map<RequestMappingInfo, HandlerMethod> handlerMethods) {
        super.handlerMethodsInitialized(handlerMethods);
        index = build(handlerMethods);
    }

    @Override
    public void registerMapping(RequestMappingInfo mapping, Object handler, java.lang.reflect.Method method) {
        super.registerMapping(mapping, handler, method);
        index = null; // mappings added at run time: Spring's own lookup from here on
    }

    @Override
    public void unregisterMapping(RequestMappingInfo mapping) {
        super.unregisterMapping(mapping);
        index = null;
    }

    @Override
    protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
        Index current = index;
        String first = firstSegment(lookupPath);
        if (current == null || current.directPaths().contains(lookupPath) || first.indexOf('%') >= 0
                || CorsUtils.isPreFlightRequest(request)) {
            return super.lookupHandlerMethod(lookupPath, request);
        }
        List<Matched> matches = new ArrayList<>(2);
        for (Candidate c : current.candidates(first)) {
            RequestMappingInfo matched = getMatchingMapping(c.info(), request);
            if (matched != null) matches.add(new Matched(matched, c.handler()));
        }
        if (matches.isEmpty()) return super.lookupHandlerMethod(lookupPath, request);
        if (matches.size() > 1) {
            Comparator<RequestMappingInfo> ranking = getMappingComparator(request);
            matches.sort((a, b) -> ranking.compare(a.mapping(), b.mapping()));
            if (ranking.compare(matches.get(0).mapping(), matches.get(1).mapping()) == 0) {
                return super.lookupHandlerMethod(lookupPath, request);
            }
        }
        Matched best = matches.get(0);
        request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, best.handler());
        handleMatch(best.mapping(), lookupPath, request);
        return best.handler();
    }

    private static Index build(Map<RequestMappingInfo, HandlerMethod> handlerMethods) {
        Set<String> direct = new HashSet<>();
        Map<String, List<Candidate>> groups = new HashMap<>();
        List<Candidate> anyFirst = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : handlerMethods.entrySet()) {
            RequestMappingInfo info = e.getKey();
            Candidate candidate = new Candidate(info, e.getValue());
            direct.addAll(info.getDirectPaths());
            Set<String> firsts = new HashSet<>();
            boolean patternFirst = info.getPathPatternsCondition() == null
                    || info.getPathPatternsCondition().getPatterns().isEmpty();
            if (!patternFirst) {
                for (PathPattern pattern : info.getPathPatternsCondition().getPatterns()) {
                    String first = firstSegment(pattern.getPatternString());
                    // a variable, wildcard or regex in the first segment may match any request's first segment
                    if (first.indexOf('{') >= 0 || first.indexOf('*') >= 0 || first.indexOf('?') >= 0) patternFirst = true;
                    else firsts.add(first);
                }
            }
            if (patternFirst) anyFirst.add(candidate);
            else for (String first : firsts) groups.computeIfAbsent(first, k -> new ArrayList<>()).add(candidate);
        }
        return new Index(Set.copyOf(direct), Map.copyOf(groups), List.copyOf(anyFirst));
    }

    /** {@code apps} for {@code /apps/x/y}; empty for {@code /}. */
    static String firstSegment(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int end = path.indexOf('/', start);
        return end < 0 ? path.substring(start) : path.substring(start, end);
    }
}
