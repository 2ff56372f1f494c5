package io.slipway.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.errors.ConfirmationRequired;
import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.Forbidden;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.LimitReached;
import io.slipway.api.errors.NotFound;
import io.slipway.api.errors.StorageUnavailable;
import io.slipway.api.errors.Unauthenticated;
import io.slipway.api.errors.Unavailable;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A use case's refusal reaches the client exactly as the web layer's own Heroku error of that kind: same status,
 * id, message and resource. The API tests pin the wire through HTTP; this pins every kind, including those no
 * API test happens to reach.
 */
class DomainErrorsTest {
    private static final Map<DomainException, ApiException> SAME = Map.of(
            new NotFound("app", "my-app"), ApiErrors.notFound("app", "my-app"),
            new Conflict("app", "Name is already taken"), ApiErrors.conflict("app", "Name is already taken"),
            new InvalidInput("Invalid `type`: x y."), ApiErrors.invalidParams("Invalid `type`: x y."),
            new Forbidden("Only the owner can do that."), ApiErrors.forbidden("Only the owner can do that."),
            new ConfirmationRequired("Confirm with my-app."), ApiErrors.confirmationRequired("Confirm with my-app."),
            new LimitReached("Too many builds."), ApiErrors.tooMany("Too many builds."),
            new Unavailable("Try again later."), ApiErrors.unavailable("Try again later."),
            new StorageUnavailable("No object store."), ApiErrors.storageUnavailable("No object store."),
            new Unauthenticated(), ApiErrors.unauthorized());

    @Test
    void everyKindBecomesTheSameHerokuErrorAsBefore() {
        SAME.forEach((domain, expected) -> {
            ApiException actual = ApiErrors.of(domain);
            assertThat(List.of(actual.status(), actual.id(), actual.getMessage(), String.valueOf(actual.resource())))
                    .as(domain.getClass().getSimpleName())
                    .isEqualTo(List.of(expected.status(), expected.id(), expected.getMessage(),
                            String.valueOf(expected.resource())));
        });
        EnumSet<DomainException.Kind> covered = EnumSet.noneOf(DomainException.Kind.class);
        SAME.keySet().forEach(e -> covered.add(e.kind()));
        assertThat(covered).containsExactlyInAnyOrderElementsOf(Arrays.asList(DomainException.Kind.values()));
    }

    @Test
    void notFoundWithOwnWordsKeepsTheResource() {
        ApiException e = ApiErrors.of(new NotFound("add_on", "x", "add-on attachment"));
        assertThat(e.getMessage()).isEqualTo("Couldn't find that add-on attachment.");
        assertThat(e.resource()).isEqualTo("add_on");
        assertThat(e.id()).isEqualTo("not_found");
        assertThat(e.status().value()).isEqualTo(404);
    }
}
