package io.slipway.shared.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader and writer for the internal clients, so that {@code shared} stays free of libraries.
 * Values are plain Java: objects are {@code Map<String,Object>} (insertion ordered), arrays {@code List<Object>},
 * strings {@code String}, numbers {@code Long} when integral and in range else {@code Double}, booleans
 * {@code Boolean}, and JSON {@code null} is {@code null}. Malformed input throws {@link JsonException}.
 */
public final class Json {
    private Json() {}

    /** Thrown for malformed JSON and for values that cannot be written. */
    public static final class JsonException extends IllegalArgumentException {
        public JsonException(String message) { super(message); }
    }

    public static Object parse(String text) {
        if (text == null) throw new JsonException("no JSON text");
        Reader reader = new Reader(text);
        reader.skipSpace();
        Object value = reader.value(0);
        reader.skipSpace();
        if (reader.pos != text.length()) throw reader.error("unexpected text after the JSON value");
        return value;
    }

    /** Parses text that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) throw new JsonException("expected a JSON object");
        return (Map<String, Object>) value;
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new JsonException("JSON has no " + d);
            out.append(value);
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) throw new JsonException("object keys must be strings");
                if (!first) out.append(',');
                first = false;
                quote(key, out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Iterable<?> list) {
            out.append('[');
            Iterator<?> it = list.iterator();
            while (it.hasNext()) {
                write(it.next(), out);
                if (it.hasNext()) out.append(',');
            }
            out.append(']');
        } else {
            throw new JsonException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    private static final class Reader {
        private static final int MAX_DEPTH = 200; // deep nesting would otherwise overflow the stack
        private final String text;
        private int pos;

        Reader(String text) { this.text = text; }

        JsonException error(String what) { return new JsonException(what + " at offset " + pos); }

        void skipSpace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                pos++;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw error("JSON nested too deeply");
            if (pos >= text.length()) throw error("unexpected end of JSON");
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) throw error("unexpected text");
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') { pos++; return map; }
            while (true) {
                skipSpace();
                if (peek() != '"') throw error("expected a string key");
                String key = string();
                skipSpace();
                if (peek() != ':') throw error("expected ':'");
                pos++;
                skipSpace();
                map.put(key, value(depth + 1));
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') return map;
                if (c != ',') { pos--; throw error("expected ',' or '}'"); }
            }
        }

        private List<Object> array(int depth) {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') { pos++; return list; }
            while (true) {
                skipSpace();
                list.add(value(depth + 1));
                skipSpace();
                char c = peek();
                pos++;
                if (c == ']') return list;
                if (c != ',') { pos--; throw error("expected ',' or ']'"); }
            }
        }

        private char peek() {
            if (pos >= text.length()) throw error("unexpected end of JSON");
            return text.charAt(pos);
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            pos++; // opening quote
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') return out.toString();
                if (c < 0x20) { pos--; throw error("control character in string"); }
                if (c != '\\') { out.append(c); continue; }
                char e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (pos + 4 > text.length()) throw error("truncated \\u escape");
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> { pos--; throw error("bad escape '\\" + e + "'"); }
                }
            }
        }

        private Number number() {
            int start = pos;
            if (text.charAt(pos) == '-') pos++;
            int digits = digits();
            if (digits == 0) throw error("expected digits");
            if (digits > 1 && text.charAt(pos - digits) == '0') throw error("leading zero in number");
            boolean integral = true;
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                integral = false;
                if (digits() == 0) throw error("expected digits after '.'");
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                pos++;
                integral = false;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
                if (digits() == 0) throw error("expected exponent digits");
            }
            String literal = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException tooBig) {
                    // falls through to a double, as JavaScript would read it
                }
            }
            return Double.parseDouble(literal);
        }

        private int digits() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
            return pos - start;
        }
    }
}
