package io.slipway.buildworker.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Serves the bare repositories under a directory over git's smart HTTP protocol, through {@code git http-backend}. */
final class GitHttpBackend implements HttpHandler {
    private final Path root;

    GitHttpBackend(Path root) {
        this.root = root;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
            Map<String, String> env = pb.environment();
            env.put("GIT_PROJECT_ROOT", root.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("PATH_INFO", ex.getRequestURI().getPath().substring("/git".length()));
            env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
            env.put("REQUEST_METHOD", ex.getRequestMethod());
            env.put("REMOTE_ADDR", "127.0.0.1");
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type != null) env.put("CONTENT_TYPE", type);
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null) env.put("HTTP_CONTENT_ENCODING", encoding);
            String protocol = ex.getRequestHeaders().getFirst("Git-Protocol");
            if (protocol != null) env.put("GIT_PROTOCOL", protocol);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream(); InputStream body = ex.getRequestBody()) {
                body.transferTo(in);
            }
            byte[] all = p.getInputStream().readAllBytes();
            int headerEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int skip = 4;
            if (headerEnd < 0) {
                headerEnd = indexOf(all, "\n\n".getBytes(StandardCharsets.US_ASCII));
                skip = 2;
            }
            int status = 200;
            for (String line : new String(all, 0, Math.max(0, headerEnd), StandardCharsets.ISO_8859_1).split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.split(" ")[0]);
                } else {
                    ex.getResponseHeaders().add(name, value);
                }
            }
            int start = headerEnd < 0 ? 0 : headerEnd + skip;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(all, start, all.length - start);
            ex.sendResponseHeaders(status, out.size() == 0 ? -1 : out.size());
            if (out.size() > 0) ex.getResponseBody().write(out.toByteArray());
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (data[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
