package io.slipway.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON body of every error. {@code resource} is left out when there is none. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String id, String message, String resource) {
    public static ErrorBody of(ApiException e) {
        return new ErrorBody(e.id(), e.getMessage(), e.resource());
    }
}
