package io.slipway.api.apps.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.Stacks;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.ApiErrors;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /stacks} and {@code GET /stacks/{id_or_name}} (Heroku's {@code stack}): what {@code heroku stack}
 * lists and {@code stack:set} may choose, {@code container} included. The platform's stacks never change while it
 * runs, so their dates are fixed.
 */
@RestController
public class StacksController {
    private static final Instant SINCE = Instant.parse("2024-01-01T00:00:00Z");
    private final String defaultStack;

    public StacksController(ApiServerConfig config) {
        this.defaultStack = config.defaultStack();
    }

    public record StackJson(Instant createdAt, @JsonProperty("default") boolean isDefault, UUID id, String name,
                            String state, Instant updatedAt) {}

    @GetMapping("/stacks")
    public List<StackJson> list(Caller caller) {
        return Stacks.AVAILABLE.stream().map(this::json).toList();
    }

    @GetMapping("/stacks/{stack}")
    public StackJson one(Caller caller, @PathVariable String stack) {
        for (String name : Stacks.AVAILABLE) {
            if (name.equals(stack) || Stacks.id(name).toString().equals(stack)) return json(name);
        }
        throw ApiErrors.notFound("stack", stack);
    }

    private StackJson json(String name) {
        return new StackJson(SINCE, name.equals(defaultStack), Stacks.id(name), name, "active", SINCE);
    }
}
