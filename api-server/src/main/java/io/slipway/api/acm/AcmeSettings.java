package io.slipway.api.acm;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * Where the platform gets certificates: the ACME directory ({@code SLIPWAY_ACME_DIRECTORY_URL}; none means ACM is
 * unavailable), the account's contact ({@code SLIPWAY_ACME_EMAIL}), a CA file to trust for the ACME server's
 * own HTTPS besides the JDK's ({@code SLIPWAY_ACME_CA_FILE}, for a private ACME server), how long before expiry a
 * certificate is renewed ({@code SLIPWAY_ACME_RENEW_BEFORE}, 30 days as Heroku), the first retry delay after a
 * failure ({@code SLIPWAY_ACME_RETRY_BASE}, doubling up to an hour) and how often the scheduler looks for work.
 */
@Component
public class AcmeSettings {
    private final String directoryUrl;
    private final String email;
    private final Path caFile;
    private final Duration renewBefore;
    private final Duration retryBase;

    public AcmeSettings(@Value("${slipway.acme.directory-url:}") String directoryUrl,
                        @Value("${slipway.acme.email:}") String email,
                        @Value("${slipway.acme.ca-file:}") String caFile,
                        @Value("${slipway.acme.renew-before:30d}") String renewBefore,
                        @Value("${slipway.acme.retry-base:1m}") String retryBase) {
        this.directoryUrl = directoryUrl.isBlank() ? null : directoryUrl.trim();
        this.email = email.isBlank() ? null : email.trim();
        this.caFile = caFile.isBlank() ? null : Path.of(caFile.trim());
        this.renewBefore = DurationStyle.detectAndParse(renewBefore);
        this.retryBase = DurationStyle.detectAndParse(retryBase);
    }

    public boolean enabled() { return directoryUrl != null; }
    public String directoryUrl() { return directoryUrl; }
    public String email() { return email; }
    public Path caFile() { return caFile; }
    public Duration renewBefore() { return renewBefore; }
    public Duration retryBase() { return retryBase; }
}
