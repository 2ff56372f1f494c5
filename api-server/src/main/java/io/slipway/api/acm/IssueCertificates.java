package io.slipway.api.acm;

import io.slipway.api.sniendpoints.AcmCertificates;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Service;

/**
 * The ACM scheduler: every few seconds, custom domains of ACM apps that are due (new, retrying after a failure,
 * or within the renew-before window of their certificate's expiry) are ordered one by one. A success stores the
 * chain as the domain's SNI endpoint (the router picks it up from the event stream, no restart) and plans the
 * renewal; a failure is recorded as {@code failing} with the ACME server's error and retried with backoff, and
 * the domain keeps whatever certificate it had. Safe with several replicas (see {@link AcmDomains#claim}).
 */
@Service
public class IssueCertificates {
    private static final Logger log = LoggerFactory.getLogger(IssueCertificates.class);
    /** At most this many orders per pass, so one pass never holds the scheduler thread for long. */
    private static final int PER_PASS = 10;
    private final AcmeSettings settings;
    private final AcmDomains domains;
    private final AcmeIssuer issuer;
    private final StoreIssuedCertificate store;
    private final AcmCertificates certificates;
    private final Duration checkInterval;
    private ScheduledExecutorService thread;

    public IssueCertificates(AcmeSettings settings, AcmDomains domains, AcmeIssuer issuer, StoreIssuedCertificate store,
                             AcmCertificates certificates,
                             @Value("${slipway.acme.check-interval:5s}") String checkInterval) {
        this.checkInterval = DurationStyle.detectAndParse(checkInterval);
        this.certificates = certificates;
        this.settings = settings;
        this.domains = domains;
        this.issuer = issuer;
        this.store = store;
    }

    /**
     * Its own thread, not Spring's shared scheduler: an order waits on the ACME server (up to minutes), which must
     * not hold up the build, release-phase and app-setup sweeps that share that single thread.
     */
    @PostConstruct
    void startThread() {
        if (!settings.enabled()) return;
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acm-orders");
            t.setDaemon(true);
            return t;
        });
        long ms = checkInterval.toMillis();
        thread.scheduleWithFixedDelay(this::pass, ms, ms, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopThread() {
        if (thread != null) thread.shutdownNow();
    }

    public void pass() {
        if (!settings.enabled()) return;
        try {
            domains.adoptNewDomains();
            certificates.removeOrphans();
            for (int i = 0; i < PER_PASS; i++) {
                Optional<AcmDomains.Due> due = domains.claim();
                if (due.isEmpty()) return;
                issue(due.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("ACM pass failed: {}", e.toString());
        }
    }

    void issue(AcmDomains.Due due) throws InterruptedException {
        try {
            AcmeIssuer.Issued issued = issuer.issue(due.hostname());
            Instant expires = store.store(due, issued);
            if (expires == null) {
                log.info("ACM: certificate for {} (app {}) dropped: ACM was disabled meanwhile", due.hostname(), due.appName());
                return;
            }
            log.info("ACM: certificate issued for {} (app {}), expires {}", due.hostname(), due.appName(), expires);
        } catch (AcmeIssuer.Failed e) {
            log.info("ACM: order for {} (app {}) failed: {}", due.hostname(), due.appName(), e.getMessage());
            domains.failed(due, e.getMessage(), settings.retryBase());
        } catch (RuntimeException e) {
            log.warn("ACM: order for {} (app {}) failed", due.hostname(), due.appName(), e);
            domains.failed(due, "Internal error while ordering the certificate: " + e.getMessage(), settings.retryBase());
        }
    }
}
