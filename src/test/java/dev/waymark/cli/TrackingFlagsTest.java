package dev.waymark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --public-url and --email-tracking: read like every setting; a bad value is one line naming the flag. */
class TrackingFlagsTest {
    @TempDir
    Path dir;

    @Test
    void aBadPublicUrlOrTrackingValueIsOneLineNamingTheFlag() {
        for (String url : List.of("ftp://t.example.com", "https://t.example.com/?q=1", "nohost")) {
            assertOneLine(run("serve", "--public-url", url), "--public-url");
        }
        assertOneLine(run("serve", "--email-tracking", "maybe"), "--email-tracking");
    }

    @Test
    void theTrackingSettingsComeFromTheEnvironment() {
        CommandLine commandLine = WaymarkCommand.commandLine(Map.of("WAYMARK_PUBLIC_URL", "https://t.example.com",
                "WAYMARK_EMAIL_TRACKING", "off"), Optional.empty());
        ServeCommand serve = (ServeCommand) commandLine.parseArgs("serve").subcommand().commandSpec().userObject();
        assertThat(serve.publicUrl).isEqualTo(URI.create("https://t.example.com"));
        assertThat(serve.emailTracking).isEqualTo("off");
        ServeCommand defaults = (ServeCommand) WaymarkCommand.commandLine(Map.of(), Optional.empty())
                .parseArgs("serve").subcommand().commandSpec().userObject();
        assertThat(defaults.publicUrl).isNull();
        assertThat(defaults.emailTracking).isEqualTo("on");
    }

    private List<String> run(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] all = Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--data-dir";
            all[args.length + 1] = dir.toString();
            int exit = WaymarkCommand.commandLine(Map.of(), Optional.empty()).execute(all);
            assertThat(exit).isEqualTo(2);
            return err.toString(StandardCharsets.UTF_8).lines().toList();
        } finally {
            System.setErr(before);
        }
    }

    private static void assertOneLine(List<String> stderr, String flag) {
        assertThat(stderr).hasSize(1).first().asString().startsWith("waymark: ").contains(flag)
                .doesNotContain("Exception");
    }
}
