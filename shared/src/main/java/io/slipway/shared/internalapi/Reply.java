package io.slipway.shared.internalapi;

import io.slipway.shared.json.Json;
import java.io.IOException;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** One answer of the api-server's internal listener: the status and the body as text. */
public record Reply(int status, String body) {

    public boolean ok() {
        return status / 100 == 2;
    }

    /** The body as a JSON object; an empty map when there is none or it is not one (an error page in between). */
    public Map<String, Object> json() {
        if (body == null || body.isBlank()) return Map.of();
        try {
            return Json.parseObject(body);
        } catch (IllegalArgumentException notAnObject) {
            return Map.of();
        }
    }

    /** Turns a parsed answer into the client's records; throws (a wrong type, a bad id...) when it does not fit. */
    public interface Reader<T> {
        T read(Object json);
    }

    /**
     * The body read strictly by {@code reader}: an answer that is not JSON or does not fit is an IOException
     * ("malformed {@code what} answer from the api-server"), where {@link #json()} would have read it as empty.
     */
    public <T> T read(String what, Reader<T> reader) throws IOException {
        try {
            return reader.read(Json.parse(body));
        } catch (IllegalArgumentException | ClassCastException | DateTimeParseException e) {
            throw new IOException("malformed " + what + " answer from the api-server: " + e.getMessage(), e);
        }
    }

    /** {@code json} as an object; for a {@link Reader} whose answer must be one. */
    public static Map<String, Object> object(Object json) {
        if (!(json instanceof Map)) throw new Json.JsonException("expected a JSON object");
        return Json.object(json);
    }

    /** A string field of {@link #json()}, or null. */
    public String string(String field) {
        return json().get(field) instanceof String s ? s : null;
    }

    /** This reply unless its status is not {@code status}; then the error, named after {@code call}. */
    public Reply expect(int status, String call) throws InternalApiException {
        if (this.status == status) return this;
        throw error(call);
    }

    /** This reply when it is 2xx, else the error. */
    public Reply expectOk(String call) throws InternalApiException {
        if (ok()) return this;
        throw error(call);
    }

    /**
     * The error this reply stands for with the server's own message (or {@code HTTP <status>}) as it is: for the
     * operator's commands, which print it as the answer to what they asked.
     */
    public InternalApiException refusal() {
        String message = string("message");
        return new InternalApiException(status, string("id"), message == null || message.isBlank() ? "HTTP " + status : message);
    }

    /** The error this reply stands for, with the Heroku {@code id} and {@code message} when the body has them. */
    public InternalApiException error(String call) {
        Map<String, Object> json = json();
        String message = json.get("message") instanceof String s ? s : body;
        if (message != null && message.length() > 300) message = message.substring(0, 300) + "...";
        String id = json.get("id") instanceof String s ? s : null;
        return new InternalApiException(status, id, "api-server answered " + status + " to " + call + ": " + message);
    }
}
