package io.slipway.api.pgdata.web;

import io.slipway.api.pgdata.BackupArchives;
import io.slipway.api.web.ApiErrors;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /pg-backup-archives/<transfer id>/<token>}: no Authorization, the token is the credential. */
@RestController
public class BackupArchiveController {
    private final BackupArchives archives;

    public BackupArchiveController(BackupArchives archives) {
        this.archives = archives;
    }

    @GetMapping(BackupArchives.PATH_PREFIX + "{id}/{token}")
    public void download(@PathVariable String id, @PathVariable String token, HttpServletResponse response)
            throws IOException {
        BackupArchives.Archive archive = archives.open(id, token).orElseThrow(ApiErrors::notFoundPath);
        try (InputStream in = archive.body()) {
            response.setContentType("application/octet-stream");
            response.setHeader("Content-Disposition", "attachment; filename=\"" + archive.fileName() + "\"");
            if (archive.size() >= 0) response.setContentLengthLong(archive.size());
            in.transferTo(response.getOutputStream());
        }
    }
}
