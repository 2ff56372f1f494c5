package io.slipway.api.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Heroku list paging. A listing declares the fields it can be ranged by; the page honours {@code Range},
 * answers 206 with a {@code Next-Range} only when more items exist (the CLI follows Next-Range for as long
 * as it is sent), and 200 for the last or only page.
 *
 * <pre>
 *   return Paged.of(apps).by("id", a -> a.id().toString()).by("name", App::name).respond(range, AppJson::of);
 * </pre>
 */
public final class Paged<T> {
    private final List<T> items;
    private final Map<String, Function<T, Comparable<?>>> keys = new LinkedHashMap<>();

    private Paged(List<T> items) {
        this.items = items;
    }

    public static <T> Paged<T> of(List<T> items) {
        return new Paged<>(items);
    }

    /** A field the listing can be ranged by; the first one declared is the default. */
    public Paged<T> by(String field, Function<T, Comparable<?>> key) {
        keys.put(field, key);
        return this;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public <R> ResponseEntity<List<R>> respond(String rangeHeader, Function<T, R> present) {
        RangeRequest range = RangeRequest.parse(rangeHeader, keys.keySet(), keys.keySet().iterator().next());
        Function<T, Comparable> key = (Function) keys.get(range.field());
        Comparator<T> order = Comparator.comparing(key);
        if (range.descending()) order = order.reversed();
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(order);

        Comparable start = range.start() == null ? null : coerce(range.start(), sorted, key);
        Comparable end = range.end() == null ? null : coerce(range.end(), sorted, key);
        List<T> selected = new ArrayList<>();
        for (T item : sorted) {
            Comparable k = key.apply(item);
            int sign = range.descending() ? -1 : 1;
            if (start != null) {
                int c = sign * k.compareTo(start);
                if (c < 0 || (c == 0 && range.startExclusive())) continue;
            }
            if (end != null && sign * k.compareTo(end) > 0) continue;
            selected.add(item);
        }
        return page(range, keys.keySet(), selected, key, present);
    }

    /**
     * The response for a listing already ordered and cut by {@code range} elsewhere (in SQL): {@code fetched}
     * holds up to {@code range.max() + 1} items, the extra one only saying that there are more.
     */
    public static <T, R> ResponseEntity<List<R>> page(RangeRequest range, Iterable<String> fields, List<T> fetched,
                                                      Function<T, ?> key, Function<T, R> present) {
        boolean more = fetched.size() > range.max();
        List<T> page = more ? fetched.subList(0, range.max()) : fetched;
        List<R> body = page.stream().map(present).toList();

        ResponseEntity.BodyBuilder response = ResponseEntity.status(more ? HttpStatus.PARTIAL_CONTENT : HttpStatus.OK)
                .header("Accept-Ranges", String.join(", ", fields));
        if (!page.isEmpty()) {
            response.header("Content-Range", range.field() + " " + key.apply(page.get(0)) + ".."
                    + key.apply(page.get(page.size() - 1)) + "; max=" + range.max());
        }
        if (more) response.header("Next-Range", range.next(String.valueOf(key.apply(page.get(page.size() - 1)))));
        return response.body(body);
    }

    /** Range bounds arrive as text; compare them as the key's own type (versions are numbers). */
    @SuppressWarnings("rawtypes")
    private static <T> Comparable coerce(String raw, List<T> sorted, Function<T, Comparable> key) {
        if (!sorted.isEmpty() && key.apply(sorted.get(0)) instanceof Integer) {
            try {
                return Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw ApiErrors.badRequest("Invalid Range header: " + raw + " is not a number.");
            }
        }
        return raw;
    }
}
