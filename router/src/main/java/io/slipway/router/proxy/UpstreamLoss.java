package io.slipway.router.proxy;

import io.slipway.router.errors.HerokuError;

/**
 * What it means when the dyno's connection closes under a running exchange, by Heroku's codes: a stale pooled
 * connection gets one resend of a safe request; before any response byte the client gets H18 (its body was
 * still going up) or H13; after the response started only the log line can say H13 and the connection is cut.
 */
enum UpstreamLoss {
    /** Send the request again on another connection (see {@link Exchange#resendAfterStaleClose}). */
    RESEND(null),
    /** Error page H18: the dyno closed while the request body was still being sent. */
    INTERRUPTED(HerokuError.H18),
    /** Error page H13: the dyno closed without answering. */
    NO_RESPONSE(HerokuError.H13),
    /** The status is already out: log H13 and close the client connection. */
    CUT(HerokuError.H13);

    final HerokuError error;

    UpstreamLoss(HerokuError error) {
        this.error = error;
    }

    /** Decides (and, for a resend, prepares the exchange); only for an exchange whose response is not done. */
    static UpstreamLoss of(Exchange e) {
        if (e.responseStarted) return CUT;
        if (e.resendAfterStaleClose()) return RESEND;
        return e.requestDone ? NO_RESPONSE : INTERRUPTED;
    }
}
