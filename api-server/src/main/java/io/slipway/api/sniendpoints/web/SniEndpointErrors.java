package io.slipway.api.sniendpoints.web;

import io.slipway.api.sniendpoints.CertificateRejected;
import io.slipway.api.sniendpoints.SniEndpointNotFound;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ErrorBody;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The Heroku errors of the certificate use cases: a refused certificate or key is {@code 422 invalid_params}
 * (what Heroku answers to a bad {@code certs:add}), an unknown endpoint {@code 404 not_found}. Ordered first,
 * so the generic handler's catch-all does not take these.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SniEndpointErrors {
    @ExceptionHandler(CertificateRejected.class)
    ResponseEntity<ErrorBody> rejected(CertificateRejected e) {
        var api = ApiErrors.invalidParams(e.getMessage());
        return ResponseEntity.status(api.status()).body(ErrorBody.of(api));
    }

    @ExceptionHandler(SniEndpointNotFound.class)
    ResponseEntity<ErrorBody> notFound(SniEndpointNotFound e) {
        var api = ApiErrors.notFound("sni-endpoint", e.identity());
        return ResponseEntity.status(api.status()).body(ErrorBody.of(api));
    }
}
