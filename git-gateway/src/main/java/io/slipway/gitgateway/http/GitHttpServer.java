package io.slipway.gitgateway.http;

import io.slipway.gitgateway.api.GitAccessClient;
import io.slipway.gitgateway.push.PushSession;
import io.slipway.gitgateway.push.Pushes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;

/**
 * Git smart HTTP on an embedded Tomcat: JGit's {@link GitServlet} behind {@link SmartHttpFilter}. Plain HTTP
 * on an internal port; users reach it through the api-server's TLS front door.
 */
public final class GitHttpServer {
    private final Tomcat tomcat = new Tomcat();
    private final Connector connector;

    public GitHttpServer(String bind, int port, Path baseDir, GitAccessClient api, Pushes pushes) throws IOException {
        Files.createDirectories(baseDir);
        tomcat.setBaseDir(baseDir.toString());
        connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", bind);
        // a push's response stays open while its build runs; reading the request has the usual timeout
        connector.setProperty("connectionTimeout", "60000");
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        if (context instanceof StandardContext standard) {
            // no web applications are deployed here: nothing for Tomcat's leak detection to clean (and warn about)
            standard.setClearReferencesRmiTargets(false);
            standard.setClearReferencesThreadLocals(false);
        }
        GitServlet git = new GitServlet();
        git.setRepositoryResolver((req, name) -> {
            Repository repository = (Repository) req.getAttribute(SmartHttpFilter.REPOSITORY);
            if (repository == null) throw new ServiceNotEnabledException();
            repository.incrementOpen(); // GitServlet closes what it opened; the filter owns the copy
            return repository;
        });
        git.setUploadPackFactory((req, db) -> {
            UploadPack up = new UploadPack(db);
            String protocol = req.getHeader("Git-Protocol");
            if (protocol != null) up.setExtraParameters(java.util.Arrays.asList(protocol.split(":")));
            return up;
        });
        git.setReceivePackFactory((req, db) -> {
            PushSession session = (PushSession) req.getAttribute(SmartHttpFilter.SESSION);
            // without a session this is the ref advertisement before a push: nothing is received
            return session != null ? session.receivePack() : new ReceivePack(db);
        });
        Tomcat.addServlet(context, "git", git);
        context.addServletMappingDecoded("/*", "git");

        FilterDef filter = new FilterDef();
        filter.setFilterName("slipway-git");
        filter.setFilter(new SmartHttpFilter(api, pushes));
        context.addFilterDef(filter);
        FilterMap map = new FilterMap();
        map.setFilterName("slipway-git");
        map.addURLPattern("/*");
        context.addFilterMap(map);
    }

    public void start() throws LifecycleException {
        tomcat.start();
    }

    /** The bound port (useful when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    public void stop() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
