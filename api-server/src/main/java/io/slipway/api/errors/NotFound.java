package io.slipway.api.errors;

/**
 * The thing does not exist, or the caller may not see it: both read the same, so nothing leaks whether a
 * resource of another tenant exists.
 */
public final class NotFound extends DomainException {
    /** "Couldn't find that app." for {@code resource} "app"; {@code identity} is what was asked for. */
    public NotFound(String resource, String identity) {
        this(resource, identity, resource);
    }

    /** When the words differ from the resource, e.g. {@code add-on attachment} for resource {@code add_on}. */
    public NotFound(String resource, String identity, String words) {
        super(Kind.NOT_FOUND, "Couldn't find that " + words + ".", resource);
    }

    private NotFound(String resource, String message, boolean ownMessage) {
        super(Kind.NOT_FOUND, message, resource);
    }

    /** A not-found whose sentence says more than "Couldn't find that": what to do about it (base images). */
    public static NotFound withMessage(String resource, String message) {
        return new NotFound(resource, message, true);
    }
}
