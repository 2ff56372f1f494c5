package io.slipway.acceptance;

import java.util.Map;

/** Apps the runtime acceptance tests deploy and request through the router. */
final class RuntimeApps {
    private RuntimeApps() {}

    /**
     * A Node.js web app (no npm dependencies, so the build needs no network) that answers
     * {@code <marker> <DYNO>} and stops cleanly on SIGTERM, as a well-behaved Heroku app does.
     */
    static Map<String, String> node(String marker) {
        return Map.of(
                "package.json", """
                        {"name": "runtime-demo", "version": "1.0.0", "private": true,
                         "scripts": {"start": "node server.js"}}
                        """,
                "Procfile", "web: node server.js\n",
                "server.js", """
                        const http = require('http');
                        const server = http.createServer((req, res) => {
                          res.writeHead(200, {'Content-Type': 'text/plain'});
                          res.end('%s ' + process.env.DYNO + '\\n');
                        });
                        server.listen(process.env.PORT, () => console.log('listening on ' + process.env.PORT));
                        process.on('SIGTERM', () => { console.log('got SIGTERM'); server.close(() => process.exit(0)); });
                        """.formatted(marker));
    }
}
