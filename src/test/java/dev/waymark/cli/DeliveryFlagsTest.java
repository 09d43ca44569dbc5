package dev.waymark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The delivery and engine flags of 'waymark serve': read like every setting, and a bad one is one line naming it. */
class DeliveryFlagsTest {
    @TempDir
    Path dir;

    private record Result(int exit, List<String> stderr) {}

    private Result run(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine commandLine = WaymarkCommand.commandLine(Map.of(), Optional.empty());
            String[] all = Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--data-dir";
            all[args.length + 1] = dir.toString();
            int exit = commandLine.execute(all);
            return new Result(exit, err.toString(StandardCharsets.UTF_8).lines().toList());
        } finally {
            System.setErr(before);
        }
    }

    @Test
    void aBadDeliveryUrlIsOneLineNamingTheFlag() {
        assertOneLine(run("serve", "--smtp-url", "http://mail.example:25"), "--smtp-url");
        assertOneLine(run("serve", "--smtp-url", "smtp://a b"), "--smtp-url");
        assertOneLine(run("serve", "--sms-webhook", "http://127.0.0.1:9/sms", "--webhook-secret", "s"),
                "--allow-http-delivery");
        assertOneLine(run("serve", "--push-webhook", "ftp://host/push", "--webhook-secret", "s"), "--push-webhook");
        assertOneLine(run("serve", "--voice-webhook", "https://hooks.example/voice"), "--webhook-secret");
        assertOneLine(run("serve", "--lambda-endpoint", "nohost"), "--lambda-endpoint");
        assertOneLine(run("serve", "--direct-send-wait", "PT5M"), "--direct-send-wait");
    }

    @Test
    void aBadEngineFlagIsOneLineNamingTheFlag() {
        assertOneLine(run("serve", "--background-share", "0"), "--background-share");
        assertOneLine(run("serve", "--background-share", "1.5"), "--background-share");
        assertOneLine(run("serve", "--engine-workers", "0"), "--engine-workers");
    }

    @Test
    void theBackgroundShareComesFromTheEnvironmentLikeEverySetting() {
        CommandLine commandLine = WaymarkCommand.commandLine(Map.of("WAYMARK_BACKGROUND_SHARE", "0.5"),
                Optional.empty());
        ServeCommand serve = (ServeCommand) commandLine.parseArgs("serve").subcommand().commandSpec().userObject();
        assertThat(serve.backgroundShare).isEqualTo(0.5);
        ServeCommand byDefault = (ServeCommand) WaymarkCommand.commandLine(Map.of(), Optional.empty())
                .parseArgs("serve").subcommand().commandSpec().userObject();
        assertThat(byDefault.backgroundShare).isEqualTo(0.2);
    }

    private static void assertOneLine(Result result, String flag) {
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).hasSize(1).first().asString().startsWith("waymark: ").contains(flag)
                .doesNotContain("Exception");
    }

    @Test
    void deliverySettingsComeFromTheEnvironmentLikeEverySetting() {
        CommandLine commandLine = WaymarkCommand.commandLine(Map.of("WAYMARK_SMTP_URL", "smtp://u:p@mail:587",
                "WAYMARK_WEBHOOK_SECRET", "from-env", "WAYMARK_ALLOW_HTTP_DELIVERY", "true"), Optional.empty());
        ServeCommand serve = (ServeCommand) commandLine.parseArgs("serve", "--sms-webhook", "http://127.0.0.1/sms")
                .subcommand().commandSpec().userObject();
        assertThat(serve.smtpUrl).isEqualTo(URI.create("smtp://u:p@mail:587"));
        assertThat(serve.webhookSecret).isEqualTo("from-env");
        assertThat(serve.allowHttpDelivery).isTrue();
        assertThat(serve.directSendWait).isEqualTo(Duration.ofSeconds(10));
        assertThat(serve.outboxLease).isEqualTo(Duration.ofSeconds(90));
    }
}
