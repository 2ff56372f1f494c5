package io.slipway.api.acm;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.time.Duration;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.springframework.stereotype.Component;

/**
 * One ACME order for one hostname (RFC 8555 with HTTP-01): the ACME server fetches
 * {@code http://<hostname>/.well-known/acme-challenge/<token>}, which reaches the router only if the hostname
 * really points at this platform, and the router answers with the key authorization stored here. That fetch is
 * what proves the tenant controls the domain. Blocking; the scheduler calls it off any request thread.
 */
@Component
public class AcmeIssuer {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final AcmeSettings settings;
    private final AcmeSessions sessions;
    private final AcmeAccountKeys keys;
    private final AcmeChallenges challenges;

    public AcmeIssuer(AcmeSettings settings, AcmeSessions sessions, AcmeAccountKeys keys, AcmeChallenges challenges) {
        this.settings = settings;
        this.sessions = sessions;
        this.keys = keys;
        this.challenges = challenges;
    }

    public record Issued(String chainPem, String privateKeyPem) {}

    /** A failed order, with the ACME server's own words: the domain's {@code acm_status_reason}. */
    public static class Failed extends Exception {
        Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Issued issue(String hostname) throws Failed, InterruptedException {
        AcmeAccountKeys.registerBouncyCastle();
        try {
            AccountBuilder builder = new AccountBuilder().agreeToTermsOfService()
                    .useKeyPair(keys.forDirectory(settings.directoryUrl()));
            if (settings.email() != null) builder.addEmail(settings.email());
            Account account = builder.create(sessions.open());
            Order order = account.newOrder().domain(hostname).create();
            for (Authorization auth : order.getAuthorizations()) {
                if (auth.getStatus() != Status.VALID) authorize(hostname, auth);
            }
            KeyPair domainKey = KeyPairUtils.createKeyPair(2048);
            order.execute(domainKey);
            if (order.waitForCompletion(WAIT) != Status.VALID) {
                throw new Failed("The order for " + hostname + " did not complete: "
                        + order.getError().map(AcmeIssuer::describe).orElse(String.valueOf(order.getStatus())), null);
            }
            StringWriter chain = new StringWriter();
            order.getCertificate().writeCertificate(chain);
            return new Issued(chain.toString(), pem(domainKey));
        } catch (AcmeException e) {
            throw new Failed(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void authorize(String hostname, Authorization auth) throws AcmeException, Failed, InterruptedException {
        Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow(() ->
                new Failed("The ACME server offers no HTTP-01 challenge for " + hostname + ".", null));
        challenges.put(challenge.getToken(), hostname, challenge.getAuthorization());
        try {
            challenge.trigger();
            Status status = auth.waitForCompletion(WAIT);
            if (status != Status.VALID) {
                challenge.fetch();
                throw new Failed("Validation of " + hostname + " failed: "
                        + challenge.getError().map(AcmeIssuer::describe).orElse("status " + status), null);
            }
        } finally {
            challenges.remove(challenge.getToken());
        }
    }

    private static String describe(Problem p) {
        return p.getDetail().orElse(p.getTitle().orElse(p.getType().toString()));
    }

    private static String pem(KeyPair pair) throws IOException {
        StringWriter out = new StringWriter();
        // the PKCS#8 private key alone: what the SNI endpoint stores (KeyPairUtils writes the pair as one PEM)
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
            w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
        }
        return out.toString();
    }
}
