package io.slipway.gitgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitGatewayConfigTest {
    @Test
    void defaults() {
        GitGatewayConfig c = GitGatewayConfig.fromEnv(Map.of("SLIPWAY_INTERNAL_TOKEN", "secret"));
        assertThat(c.apiUrl()).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(c.internalApiUrl()).isEqualTo(URI.create("http://127.0.0.1:5003"));
        assertThat(c.httpPort()).isEqualTo(5001);
        assertThat(c.httpBind()).isEqualTo("127.0.0.1");
        assertThat(c.sshPort()).isEqualTo(2222);
        assertThat(c.sshBind()).isEqualTo("0.0.0.0");
        assertThat(c.hostKey().getFileName().toString()).isEqualTo("ssh_host_ed25519_key");
        assertThat(c.apiCaFile()).isNull();
        assertThat(c.nodeId()).isNotBlank();
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void everythingFromTheEnvironment() {
        GitGatewayConfig c = GitGatewayConfig.fromEnv(Map.of(
                "SLIPWAY_INTERNAL_TOKEN", "t", "SLIPWAY_API_URL", "https://api.example.com:5443/",
                "SLIPWAY_GIT_HTTP_PORT", "6001", "SLIPWAY_GIT_SSH_PORT", "2022", "SLIPWAY_GIT_HOST_KEY", "/keys/host",
                "SLIPWAY_GIT_WORK_DIR", "/var/tmp/git", "SLIPWAY_API_CA_FILE", "/etc/slipway/ca.pem",
                "SLIPWAY_GIT_NODE_ID", "gw-2", "SLIPWAY_INTERNAL_API_URL", "http://10.0.0.5:5003/"));
        assertThat(c.apiUrl()).isEqualTo(URI.create("https://api.example.com:5443"));
        assertThat(c.internalApiUrl()).isEqualTo(URI.create("http://10.0.0.5:5003"));
        assertThat(c.httpPort()).isEqualTo(6001);
        assertThat(c.sshPort()).isEqualTo(2022);
        assertThat(c.hostKey()).isEqualTo(Path.of("/keys/host"));
        assertThat(c.workDir()).isEqualTo(Path.of("/var/tmp/git"));
        assertThat(c.apiCaFile()).isEqualTo(Path.of("/etc/slipway/ca.pem"));
        assertThat(c.nodeId()).isEqualTo("gw-2");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> GitGatewayConfig.fromEnv(Map.of())).hasMessageContaining("SLIPWAY_INTERNAL_TOKEN");
        assertThatThrownBy(() -> GitGatewayConfig.fromEnv(Map.of("SLIPWAY_INTERNAL_TOKEN", "t", "SLIPWAY_GIT_SSH_PORT", "ssh")))
                .hasMessageContaining("SLIPWAY_GIT_SSH_PORT");
        assertThatThrownBy(() -> GitGatewayConfig.fromEnv(Map.of("SLIPWAY_INTERNAL_TOKEN", "t", "SLIPWAY_GIT_HTTP_PORT", "70000")))
                .hasMessageContaining("SLIPWAY_GIT_HTTP_PORT");
    }
}
