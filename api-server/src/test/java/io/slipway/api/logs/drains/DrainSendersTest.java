package io.slipway.api.logs.drains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.shared.net.GuardedHttpClient;
import io.slipway.shared.net.OutboundPolicy;
import io.slipway.shared.net.OutboundRefusedException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The senders check at use time, not only when the drain was added: a drain stored while its name resolved
 * elsewhere (DNS rebinding, or a row from before the policy) never connects to an internal address. Real
 * listeners on 127.0.0.1 stand for the platform's services; 127.0.0.2 is the allowed collector.
 */
class DrainSendersTest {
    private final OutboundPolicy policy = OutboundPolicy.allowing("127.0.0.2/32");

    @Test
    void aSyslogDrainOnLoopbackIsRefusedBeforeItConnects() throws Exception {
        try (ServerSocket internal = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            for (String host : new String[] {"127.0.0.1", "localhost", "[::ffff:127.0.0.1]"}) {
                SyslogDrainSender sender = new SyslogDrainSender("d1", "syslog://" + host + ":" + internal.getLocalPort(),
                        policy, 10, Duration.ofSeconds(5), s -> { });
                assertThatThrownBy(() -> sender.deliver(List.of("5 hello"))).isInstanceOf(OutboundRefusedException.class);
            }
        }
    }

    @Test
    void aSyslogDrainOnTheAllowedCollectorDelivers() throws Exception {
        try (ServerSocket collector = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.2"))) {
            collector.setSoTimeout(30_000);
            SyslogDrainSender sender = new SyslogDrainSender("d2", "syslog://127.0.0.2:" + collector.getLocalPort(),
                    policy, 10, Duration.ofSeconds(5), s -> { });
            sender.deliver(List.of("5 hello"));
            try (Socket s = collector.accept(); InputStream in = s.getInputStream()) {
                assertThat(new String(in.readNBytes(7))).isEqualTo("5 hello");
            } finally {
                sender.disconnect();
            }
        }
    }

    @Test
    void anHttpDrainOnLoopbackIsRefusedBeforeItConnects() throws Exception {
        try (ServerSocket internal = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
             GuardedHttpClient http = new GuardedHttpClient(policy, Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            HttpDrainSender sender = new HttpDrainSender("d3", "http://user:pw@localhost:" + internal.getLocalPort() + "/logs",
                    "d.token", http, 10, Duration.ofSeconds(5), s -> { });
            assertThatThrownBy(() -> sender.deliver(List.of("5 hello"))).isInstanceOf(OutboundRefusedException.class);
        }
    }
}
