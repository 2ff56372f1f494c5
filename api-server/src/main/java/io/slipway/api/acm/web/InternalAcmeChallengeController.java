package io.slipway.api.acm.web;

import io.slipway.api.acm.AcmeChallenges;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalApi;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The router's question for {@code GET http://<host>/.well-known/acme-challenge/<token>} (internal listener, router
 * token only; docs/internal-api.md): the key authorization as plain text when that token was issued for that
 * host, 404 otherwise, so a token can't be read through another hostname.
 */
@RestController
@InternalApi(ComponentRole.ROUTER)
public class InternalAcmeChallengeController {
    private final AcmeChallenges challenges;

    public InternalAcmeChallengeController(AcmeChallenges challenges) {
        this.challenges = challenges;
    }

    @GetMapping("/internal/acme-challenges/{token}")
    public ResponseEntity<String> answer(@PathVariable String token, @RequestParam String host) {
        String answer = challenges.answer(token, host).orElseThrow(() -> ApiErrors.notFound("acme-challenge", token));
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(answer);
    }
}
