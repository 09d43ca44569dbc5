package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.waymark.auth.SecuritySettings;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.server.ServerConfig;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients people run against Pinpoint, each running the same conformance scenario (src/test/clients) against
 * a fresh Waymark: the AWS SDK for JavaScript v3, boto3 and the AWS CLI v1. A client missing on this machine is
 * skipped with the reason printed, except on CI (CI=true), where it must run. Results go to target/compatibility,
 * and the README's compatibility table must match them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientConformanceTest {
    private static final Path CLIENTS = ClientProcesses.CLIENTS;
    private static final Path RESULTS = Path.of("target", "compatibility");
    /** Client column → (check → passed), filled as the clients run. */
    private static final Map<String, Map<String, Boolean>> TABLE = new LinkedHashMap<>();

    @TempDir
    Path dir;

    @Test
    @Order(1)
    void javascriptSdkV3() throws Exception {
        Path js = ClientProcesses.javascriptSdk();
        Path installed = js.resolve(ClientProcesses.JS_SDK_PACKAGE);
        String version = Files.readString(installed).replaceAll("(?s).*\"version\":\\s*\"([^\"]+)\".*", "$1");
        scenario("JS SDK v3 " + version, js, "node", "conformance.js");
    }

    @Test
    @Order(2)
    void boto3() throws Exception {
        scenario("boto3 " + ClientProcesses.boto3Version(), CLIENTS, "python3", "conformance.py", "--client", "boto3");
    }

    @Test
    @Order(3)
    void awsCliV1() throws Exception {
        String name = ClientProcesses.awsCliVersion().split("\\s+")[0].replace("aws-cli/", "AWS CLI ");
        scenario(name, CLIENTS, "python3", "conformance.py", "--client", "cli");
    }

    /** Every client that ran passed every check, and the README's table says exactly what they showed. */
    @AfterAll
    static void readmeTableMatchesTheRuns() throws IOException {
        if (TABLE.size() < 3) {
            System.out.println("compatibility: not every client ran here, so the README table was not compared");
            return;
        }
        String table = table();
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve("table.md"), table);
        String readme = Files.readString(Path.of("README.md"));
        String between = readme.substring(readme.indexOf("<!-- compatibility:start -->") + 29,
                readme.indexOf("<!-- compatibility:end -->"));
        assertThat(between.trim()).as("README compatibility table; the runs produced target/compatibility/table.md")
                .isEqualTo(table.trim());
    }

    private void scenario(String client, Path directory, String... command) throws Exception {
        Path main = dir.resolve("main");
        Path throttled = dir.resolve("throttled");
        Path imports = Files.createDirectories(dir.resolve("imports"));
        GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        DeliverySettings delivery = new DeliverySettings(
                Optional.of(URI.create("smtp://127.0.0.1:" + mail.getSmtp().getPort())), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(), Duration.ofSeconds(10));
        try (AutoCloseable stopMail = mail::stop;
             WaymarkTestServer server = WaymarkTestServer.start(ServerConfig.defaults(main, 0)
                     .withMinRefreshFrequency(Duration.ofSeconds(1)).withMaxBodyBytes(65536).withImportDir(imports)
                     .withDelivery(delivery));
             WaymarkTestServer slow = WaymarkTestServer.start(ServerConfig.defaults(throttled, 0)
                     .withSecurity(SecuritySettings.DEFAULTS.withThrottle(0.05, 1)))) {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(false);
            builder.environment().put("WAYMARK_URL", server.server().url());
            builder.environment().put("WAYMARK_THROTTLED_URL", slow.server().url());
            builder.environment().put("WAYMARK_KEY_ID", WaymarkTestServer.ACCESS_KEY);
            builder.environment().put("WAYMARK_SECRET", WaymarkTestServer.SECRET_KEY);
            builder.environment().put("WAYMARK_IMPORT_DIR", imports.toString());
            Path stderr = dir.resolve("stderr.txt");
            builder.redirectError(stderr.toFile());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            System.out.println("compatibility: " + client + "\n" + output);
            Files.createDirectories(RESULTS);
            Files.writeString(RESULTS.resolve(client.replace(' ', '-') + ".txt"), output);
            Map<String, Boolean> checks = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                if (line.startsWith("OK ")) {
                    checks.put(line.substring(3), true);
                } else if (line.startsWith("FAIL ")) {
                    checks.put(line.substring(5, line.indexOf(':') > 0 ? line.indexOf(':') : line.length()), false);
                }
            }
            TABLE.put(client, checks);
            assertThat(checks).as("checks run by %s", client).hasSize(27);
            assertThat(process.exitValue()).as("%s failed checks:%n%s%nstderr:%n%s", client, output,
                    Files.readString(stderr)).isZero();
            // SendMessages said SUCCESSFUL, the journey counted SUCCESS: both messages must be at the SMTP server,
            // each rendered from its template, and nothing else.
            assertThat(mail.getReceivedMessages()).as("mail received from %s's SendMessages and journey", client)
                    .hasSize(2);
            MimeMessage received = received(mail, "conformance@example.com");
            assertThat(received.getSubject()).isEqualTo("Welcome Ada");
            assertThat(received.getFrom()[0].toString()).contains("noreply@example.com");
            assertThat(GreenMailUtil.getBody(received)).contains("Hello Ada from Waymark");
            MimeMessage journey = received(mail, "journey@example.com");
            assertThat(journey.getSubject()).isEqualTo("Journey for Grace");
            assertThat(journey.getFrom()[0].toString()).contains("noreply@example.com");
            assertThat(GreenMailUtil.getBody(journey)).contains("Hello Grace");
        }
    }

    /** The one message GreenMail received for {@code recipient}. */
    private static MimeMessage received(GreenMail mail, String recipient) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            if (message.getAllRecipients()[0].toString().equals(recipient)) {
                found.add(message);
            }
        }
        assertThat(found).as("messages to %s", recipient).hasSize(1);
        return found.get(0);
    }

    private static String table() {
        List<String> clients = new ArrayList<>(TABLE.keySet());
        StringBuilder table = new StringBuilder("| Check | ").append(String.join(" | ", clients)).append(" |\n|---|");
        clients.forEach(client -> table.append("---|"));
        table.append('\n');
        for (String check : TABLE.get(clients.get(0)).keySet()) {
            table.append("| ").append(check).append(" |");
            for (String client : clients) {
                table.append(Boolean.TRUE.equals(TABLE.get(client).get(check)) ? " yes |" : " **no** |");
            }
            table.append('\n');
        }
        return table.toString();
    }
}
