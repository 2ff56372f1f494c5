package io.slipway.gitgateway.e2e;

import java.nio.file.Path;
import java.util.List;

/**
 * A test CA and a server certificate for 127.0.0.1 signed by it, made with the JDK's keytool: the api-server
 * serves TLS with it, git trusts the CA through GIT_SSL_CAINFO, the gateway through SLIPWAY_API_CA_FILE.
 */
record TestTls(Path keyStore, String password, Path caPem) {
    static TestTls create(Path dir) {
        String pw = "changeit";
        Path ca = dir.resolve("ca.p12");
        Path api = dir.resolve("api.p12");
        Path caPem = dir.resolve("ca.pem");
        Path csr = dir.resolve("api.csr");
        Path apiPem = dir.resolve("api.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Slipway Test CA",
                "-ext", "bc:c", "-validity", "3", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", pw);
        keytool("-exportcert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw, "-rfc", "-file", caPem.toString());
        keytool("-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-validity", "3", "-keystore", api.toString(), "-storetype", "PKCS12", "-storepass", pw);
        keytool("-certreq", "-alias", "api", "-keystore", api.toString(), "-storepass", pw, "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw, "-infile", csr.toString(),
                "-outfile", apiPem.toString(), "-rfc", "-validity", "3", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-ext", "eku=serverAuth");
        keytool("-importcert", "-alias", "ca", "-keystore", api.toString(), "-storepass", pw, "-file", caPem.toString(), "-noprompt");
        keytool("-importcert", "-alias", "api", "-keystore", api.toString(), "-storepass", pw, "-file", apiPem.toString(), "-noprompt");
        return new TestTls(api, pw, caPem);
    }

    private static void keytool(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Processes.run(null, cmd).ok();
    }
}
