package io.slipway.launcher;

/** A mistake on the command line: printed with a pointer to {@code slipway help}, exit status 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
