package io.slipway.gitgateway.http;

import io.slipway.gitgateway.api.AccessDenied;
import io.slipway.gitgateway.api.GitAccessClient;
import io.slipway.gitgateway.push.PushSession;
import io.slipway.gitgateway.push.Pushes;
import io.slipway.gitgateway.repos.LocalRepository;
import io.slipway.shared.gitaccess.Access;
import io.slipway.shared.gitaccess.GitAccessClient.Action;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In front of JGit's GitServlet: only git's smart protocol on {@code /<app>.git/...}, authenticated with Basic
 * auth whose password is an API key (the CLI's credential helper sends user {@code heroku}), authorized by the
 * api-server. Then the app's repository is restored for this request (and, for a push, the push session opened)
 * and handed to GitServlet through request attributes; everything is cleaned up when the request ends.
 * <p>
 * Errors are {@code text/plain}: git prints such a body as {@code remote: ...} lines (trimmed, hence no leading
 * space before Heroku's {@code !}). 401 is written with
 * {@code setStatus}, never {@code sendError}, so the {@code WWW-Authenticate} challenge reaches git and it asks
 * its credential helper.
 */
final class SmartHttpFilter implements Filter {
    static final String REPOSITORY = SmartHttpFilter.class.getName() + ".repository";
    static final String SESSION = SmartHttpFilter.class.getName() + ".session";
    private static final Pattern PATH = Pattern.compile(
            "^/([a-z][a-z0-9-]{1,28}[a-z0-9])\\.git/(info/refs|git-upload-pack|git-receive-pack)$");
    private static final System.Logger log = System.getLogger(SmartHttpFilter.class.getName());
    private final GitAccessClient api;
    private final Pushes pushes;

    SmartHttpFilter(GitAccessClient api, Pushes pushes) {
        this.api = api;
        this.pushes = pushes;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Matcher m = PATH.matcher(request.getRequestURI());
        if (!m.matches()) {
            text(response, 404, "Not found. Git URLs look like https://<host>/<app>.git");
            return;
        }
        String app = m.group(1);
        String service = service(request, m.group(2));
        if (service == null) {
            text(response, 403, "Only git's smart HTTP protocol is served here; upgrade git.");
            return;
        }
        String apiKey = password(request);
        if (apiKey == null) {
            challenge(response, "Authentication required: use your API key as the password.");
            return;
        }
        boolean push = service.equals("git-receive-pack") && request.getMethod().equals("POST");
        Access access;
        try {
            access = api.authorizeByApiKey(app, push ? Action.PUSH : Action.FETCH, apiKey);
        } catch (AccessDenied denied) {
            switch (denied.reason()) {
                case UNAUTHORIZED -> challenge(response, denied.getMessage());
                case NOT_FOUND -> text(response, 404, "!     " + denied.getMessage());
                default -> text(response, 503, "!     " + denied.getMessage());
            }
            return;
        }
        if (push) {
            PushSession session;
            try {
                session = pushes.openPush(access);
            } catch (IOException e) {
                pushes.abandon(access);
                unavailable(response, access, e);
                return;
            }
            try (session) {
                request.setAttribute(SESSION, session);
                request.setAttribute(REPOSITORY, session.repository());
                chain.doFilter(request, response);
            }
        } else {
            LocalRepository repo;
            try {
                repo = pushes.openForRead(access);
            } catch (IOException e) {
                unavailable(response, access, e);
                return;
            }
            try (repo) {
                request.setAttribute(REPOSITORY, repo.repository());
                chain.doFilter(request, response);
            }
        }
    }

    /** The git service a smart-protocol request is for, or null for anything else (the dumb protocol). */
    private static String service(HttpServletRequest request, String tail) {
        if (tail.equals("info/refs")) {
            if (!request.getMethod().equals("GET")) return null;
            String s = request.getParameter("service");
            return "git-upload-pack".equals(s) || "git-receive-pack".equals(s) ? s : null;
        }
        return request.getMethod().equals("POST") ? tail : null;
    }

    /** The password of Basic credentials (the user name, {@code heroku} from the CLI, is not used). */
    static String password(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return null;
        String password = decoded.substring(colon + 1);
        return password.isBlank() ? null : password;
    }

    private static void challenge(HttpServletResponse response, String message) throws IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"Slipway\"");
        text(response, 401, message);
    }

    private static void unavailable(HttpServletResponse response, Access access, IOException e) throws IOException {
        log.log(System.Logger.Level.ERROR, "repository of " + access.appName() + " unavailable", e);
        text(response, 503, "!     The repository of " + access.appName() + " is not available right now; try again shortly.");
    }

    private static void text(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
