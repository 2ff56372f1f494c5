package io.slipway.launcher.cluster;

import io.slipway.launcher.DataDir;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.StringJoiner;

/**
 * The cluster's secrets, made once and kept in {@code secrets/}: one internal-API token per component host (each
 * its own, as docs/security.md asks), the database and object-store credentials, the config-vars key. The
 * api-servers are given only the SHA-256 of each token.
 */
final class ClusterSecrets {
    private final ClusterDir dir;
    private final ClusterLayout layout;

    ClusterSecrets(ClusterDir dir, ClusterLayout layout) {
        this.dir = dir;
        this.layout = layout;
    }

    String token(ClusterHost host) {
        return dir.secret("token-" + host.name(), () -> ClusterDir.randomHex(32));
    }

    String operatorToken() {
        return dir.secret("token-operator", () -> ClusterDir.randomHex(32));
    }

    String postgresPassword() {
        return dir.secret("postgres-password", () -> ClusterDir.randomHex(18));
    }

    String databasePassword() {
        return dir.secret("slipway-db-password", () -> ClusterDir.randomHex(18));
    }

    String s3AccessKey() {
        return dir.secret("s3-access-key", DataDir::randomAccessKey);
    }

    String s3SecretKey() {
        return dir.secret("s3-secret-key", () -> ClusterDir.randomHex(20));
    }

    /** The config-vars key file the api-servers share (one key per line, the first is the primary). */
    java.nio.file.Path secretsKeyFile() {
        dir.secret("secrets-key", DataDir::newSecretsKey);
        return dir.secretsKeyFile();
    }

    /** {@code SLIPWAY_INTERNAL_TOKENS}: every component host's token, by role, as {@code sha256:<hex>}. */
    String internalTokensSetting() {
        StringJoiner all = new StringJoiner(" ");
        for (ClusterHost host : layout.hosts()) {
            String role = host.runs(Role.ROUTER) ? "router"
                    : host.runs(Role.BUILD_WORKER) ? "build-worker"
                    : host.runs(Role.GIT_GATEWAY) ? "git-gateway"
                    : host.runs(Role.DYNO_AGENT) ? "agent:" + layout.agentId(host)
                    : null;
            if (role != null) all.add(role + "=sha256:" + sha256(token(host)));
        }
        all.add("operator=sha256:" + sha256(operatorToken()));
        return all.toString();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
