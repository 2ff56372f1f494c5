package io.slipway.api.acm.web;

import io.slipway.api.acm.AcmNotEnabled;
import io.slipway.api.acm.AcmUnavailable;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ApiException;
import io.slipway.api.web.ErrorBody;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** ACM's Heroku errors: no ACME directory is {@code 422 acm_unavailable}; a refresh without ACM {@code 422 invalid_params}. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AcmErrors {
    @ExceptionHandler(AcmUnavailable.class)
    ResponseEntity<ErrorBody> unavailable(AcmUnavailable e) {
        var api = new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "acm_unavailable", e.getMessage(), null);
        return ResponseEntity.status(api.status()).body(ErrorBody.of(api));
    }

    @ExceptionHandler(AcmNotEnabled.class)
    ResponseEntity<ErrorBody> notEnabled(AcmNotEnabled e) {
        var api = ApiErrors.invalidParams(e.getMessage());
        return ResponseEntity.status(api.status()).body(ErrorBody.of(api));
    }
}
