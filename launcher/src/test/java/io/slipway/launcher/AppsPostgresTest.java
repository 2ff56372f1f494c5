package io.slipway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.slipway.shared.testing.ScratchDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The apps' PostgreSQL of {@code slipway up}: Debian's server 15 on its own cluster in the data directory, the
 * superuser only from loopback, an add-on role only into its own database, and a restart that keeps both.
 */
class AppsPostgresTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    @Test
    void startsWithTheSuperuserOnlyFromLoopbackAndRolesOnlyInTheirOwnDatabaseAndRestartsOnTheSameCluster() throws Exception {
        Path root = scratch.create("slipway-apps-pg-test");
        DataDir dataDir = DataDir.prepare(root.resolve("data"));
        RememberedPorts ports = new RememberedPorts(dataDir.portsFile());
        AppsPostgres pg = AppsPostgres.start(dataDir, ports, LocalCertificateAuthority.ensure(dataDir.tls())).orElseThrow();
        try {
            assertEquals(pg.publicHost() + ":" + pg.port(), pg.service());
            assertEquals("127.0.0.1", pg.apiServerSettings().get("slipway.addons.postgres.admin-url").split("//")[1].split(":")[0]);
            try (Connection c = connect(LauncherConfig.HOST, pg.port(), "postgres", "postgres", pg.adminPassword());
                 Statement s = c.createStatement()) {
                s.execute("CREATE ROLE tenant_a LOGIN PASSWORD 'pw-a'");
                s.execute("CREATE DATABASE tenant_a OWNER tenant_a");
                s.execute("CREATE ROLE tenant_b LOGIN PASSWORD 'pw-b'");
                s.execute("CREATE DATABASE tenant_b OWNER tenant_b");
                try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                    rs.next();
                    assertTrue(rs.getString(1).startsWith("15."), rs.getString(1));
                }
            }
            // a role reaches its own database, and no other, even one PUBLIC may connect to
            connect(LauncherConfig.HOST, pg.port(), "tenant_a", "tenant_a", "pw-a").close();
            assertThrows(SQLException.class, () -> connect(LauncherConfig.HOST, pg.port(), "tenant_b", "tenant_a", "pw-a").close());
            assertThrows(SQLException.class, () -> connect(LauncherConfig.HOST, pg.port(), "postgres", "tenant_a", "pw-a").close());
            // wrong password
            assertThrows(SQLException.class, () -> connect(LauncherConfig.HOST, pg.port(), "tenant_a", "tenant_a", "nope").close());
            if (!pg.publicHost().equals(LauncherConfig.HOST)) {
                // the address dynos use: a role gets in, the superuser does not, even with its password
                connect(pg.publicHost(), pg.port(), "tenant_a", "tenant_a", "pw-a").close();
                assertThrows(SQLException.class,
                        () -> connect(pg.publicHost(), pg.port(), "postgres", "postgres", pg.adminPassword()).close());
            }
        } finally {
            pg.close();
        }
        assertFalse(Files.exists(root.resolve("data/apps-postgres/postmaster.pid")));

        AppsPostgres again = AppsPostgres.start(dataDir, ports, LocalCertificateAuthority.ensure(dataDir.tls())).orElseThrow();
        try {
            connect(LauncherConfig.HOST, again.port(), "tenant_a", "tenant_a", "pw-a").close();
        } finally {
            again.close();
        }
    }

    @Test
    void thePrimaryAddressIsAnIpv4AddressOrLoopback() {
        String host = HostAddress.primaryIpv4();
        assumeFalse(host.isEmpty());
        assertTrue(host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), host);
    }

    private static Connection connect(String host, int port, String db, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, p);
    }
}
