package io.slipway.api.sources.web;

import io.slipway.api.sources.CreateSource;
import io.slipway.api.identity.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sources: where CI (and the git-gateway) upload a tarball before creating a build from it. */
@RestController
public class SourcesController {
    private final CreateSource createSource;

    public SourcesController(CreateSource createSource) {
        this.createSource = createSource;
    }

    /** The Platform API's {@code source} shape. */
    public record SourceJson(Blob sourceBlob) {
        public record Blob(String getUrl, String putUrl) {}
    }

    /** Any authenticated account may ask; the URLs are the only handle on the object. */
    @PostMapping("/sources")
    public ResponseEntity<SourceJson> create(Caller caller) {
        CreateSource.Source s = createSource.create();
        return ResponseEntity.status(HttpStatus.CREATED).body(new SourceJson(new SourceJson.Blob(s.getUrl(), s.putUrl())));
    }
}
