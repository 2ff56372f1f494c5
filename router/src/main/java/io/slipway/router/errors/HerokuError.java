package io.slipway.router.errors;

/**
 * The router errors the platform answers with, by Heroku's codes and log descriptions
 * (https://devcenter.heroku.com/articles/error-codes). The code and description appear in the router log line
 * ({@code at=error code=H14 desc="No web processes running"}); the client gets {@link ErrorPages}' HTML.
 */
public enum HerokuError {
    H10("App crashed", 503),
    H12("Request timeout", 503),
    H13("Connection closed without response", 503),
    H14("No web processes running", 503),
    H15("Idle connection", 503),
    H18("Server Request Interrupted", 503),
    H19("Backend connection timeout", 503),
    H20("App boot timeout", 503),
    H25("HTTP restriction", 400),
    H27("Client Request Interrupted", 499),
    H80("Maintenance mode", 503),
    /** Not a Heroku code: the router has not loaded the route table yet (api-server not reachable). */
    H99("Platform error", 503);

    private final String description;
    private final int status;

    HerokuError(String description, int status) {
        this.description = description;
        this.status = status;
    }

    public String description() {
        return description;
    }

    public int status() {
        return status;
    }
}
