package dev.crmsync.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.RunningService;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: everything binds to 127.0.0.1 unless told otherwise. A service whose configuration names no
 * {@code server.host} answers on the loopback address and on none of the machine's other addresses.
 */
class DefaultBindAddressTest {

    @Test
    void shouldServeOnLoopbackOnlyWhenNoHostIsConfigured(@TempDir Path dir) throws IOException {
        List<InetAddress> others = otherAddresses();
        assumeFalse(others.isEmpty(), "this machine has no address but loopback to try");
        try (WebcrmSimulator webcrm = WebcrmSimulator.builder().token("bind-test-webcrm-token")
                .seedPlan(new SeedPlan(0, 1, 1, 1)).build().start("127.0.0.1", 0);
             CustomcrmSimulator customcrm = CustomcrmSimulator.builder().apiKey("bind-test-customcrm-key")
                     .seedPlan(new SeedPlan(0, 1, 1, 1)).build().start("127.0.0.1", 0)) {
            // Given a configuration without server.host
            String yaml = """
                    webcrm:    { url: %s, token: bind-test-webcrm-token }
                    customcrm: { url: %s, api-key: bind-test-customcrm-key }
                    store:     { url: "jdbc:sqlite:crmsync.db" }
                    server:    { port: 0, token: ${CRMSYNC_TOKEN} }
                    """.formatted(webcrm.baseUrl(), customcrm.baseUrl());
            var config = new ConfigLoader(Map.of("CRMSYNC_TOKEN", "bind-test-service-token")).parse(yaml, dir);

            // When the service runs
            try (RunningService service = RunningService.start(config, false, InstantSource.system(),
                    Sleeper.SYSTEM)) {
                int port = URI.create(service.baseUrl()).getPort();

                // Then it takes connections on loopback, and refuses them on every other address of the machine
                assertThat(service.baseUrl()).startsWith("http://127.0.0.1:");
                try (Socket loopback = new Socket()) {
                    loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                    assertThat(loopback.isConnected()).isTrue();
                }
                for (InetAddress other : others) {
                    assertThatThrownBy(() -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(other, port), 5000);
                        }
                    }).as("a connection on %s", other).isInstanceOf(ConnectException.class);
                }
            }
        }
    }

    private static List<InetAddress> otherAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(DefaultBindAddressTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (SocketException e) {
            return false;
        }
    }
}
