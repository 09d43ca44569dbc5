package dev.waymark.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where each setting of 'waymark serve' comes from: flag, then environment, then config file, then default. */
class ConfigPrecedenceTest {
    @TempDir
    Path dir;

    private ServeCommand parse(Map<String, String> environment, String fileText, String... args) throws Exception {
        Optional<Path> file = Optional.empty();
        if (fileText != null) {
            file = Optional.of(dir.resolve("waymark.properties"));
            Files.writeString(file.get(), fileText);
        }
        CommandLine commandLine = WaymarkCommand.commandLine(environment, file);
        CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        return (ServeCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        String file = "port=7001\nregion=eu-west-1\nscheduler-poll=PT1S\nmax-in-flight=7\n";
        Map<String, String> environment = Map.of("WAYMARK_PORT", "7002", "WAYMARK_REGION", "ap-south-1");

        ServeCommand all = parse(environment, file, "serve", "--port", "7003");
        assertThat(all.port).as("flag").isEqualTo(7003);
        assertThat(all.region).as("environment over file").isEqualTo("ap-south-1");
        assertThat(all.schedulerPoll).as("file over default").isEqualTo(Duration.ofSeconds(1));
        assertThat(all.maxInFlight).as("file").isEqualTo(7);
        assertThat(all.bind).as("default").isEqualTo("127.0.0.1");

        ServeCommand envOnly = parse(environment, null, "serve");
        assertThat(envOnly.port).isEqualTo(7002);
        assertThat(envOnly.schedulerPoll).isEqualTo(Duration.ofMillis(250));

        ServeCommand defaults = parse(Map.of(), null, "serve");
        assertThat(defaults.port).isEqualTo(8080);
        assertThat(defaults.store.dataDir).isEqualTo(Path.of("waymark-data"));
        assertThat(defaults.store.dbUrl).isNull();
    }

    @Test
    void storeOptionsOfEveryCommandReadTheSameSources() throws Exception {
        CommandLine commandLine = WaymarkCommand.commandLine(Map.of("WAYMARK_DB_URL", "jdbc:sqlite:/tmp/x.db"),
                Optional.empty());
        CommandLine.ParseResult parsed = commandLine.parseArgs("keys", "list");
        KeysCommand.ListKeys list = (KeysCommand.ListKeys) parsed.subcommand().subcommand().commandSpec().userObject();
        assertThat(list.store.jdbcUrl()).isEqualTo("jdbc:sqlite:/tmp/x.db");
    }

    @Test
    void unknownSettingsAndBadValuesAreRefused() throws Exception {
        assertThatThrownBy(() -> parse(Map.of(), "prot=8080\n", "serve"))
                .hasMessageContaining("unknown setting 'prot'");
        assertThatThrownBy(() -> parse(Map.of("WAYMARK_PORT", "eighty"), null, "serve"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("eighty");
    }

    @Test
    void oneOffOptionsAreNeverSwitchedOnByTheEnvironmentOrTheFile() throws Exception {
        Map<String, String> environment = Map.of("WAYMARK_INTO_NON_EMPTY", "true", "WAYMARK_ADMIN", "true",
                "WAYMARK_READ_ONLY", "true");
        CommandLine commandLine = WaymarkCommand.commandLine(environment, Optional.empty());
        CommandLine.ParseResult parsed = commandLine.parseArgs("import", "x.jsonl");
        assertThat(((TransferCommands.Import) parsed.subcommand().commandSpec().userObject()).intoNonEmpty).isFalse();
        parsed = WaymarkCommand.commandLine(environment, Optional.empty()).parseArgs("keys", "create", "--apps", "a");
        KeysCommand.Create create = (KeysCommand.Create) parsed.subcommand().subcommand().commandSpec().userObject();
        assertThat(create.readOnly).isFalse();
        assertThat(create.scope.admin).isFalse();
        assertThatThrownBy(() -> parse(Map.of(), "into-non-empty=true\n", "serve"))
                .hasMessageContaining("unknown setting 'into-non-empty'");
    }

    @Test
    void credentialsAndTheSeedKeyComeFromTheEnvironmentOrTheFileLikeEverySetting() throws Exception {
        Map<String, String> environment = Map.of("WAYMARK_DB_USER", "waymark", "WAYMARK_DB_PASSWORD", "s3cret",
                "WAYMARK_ACCESS_KEY_ID", "WMKSEED", "WAYMARK_SECRET_ACCESS_KEY", "seedsecret");
        ServeCommand serve = parse(environment, "db-url=jdbc:postgresql://db:5432/w\n", "serve");
        assertThat(serve.store.location().user()).contains("waymark");
        assertThat(serve.store.location().password()).contains("s3cret");
        assertThat(serve.store.location().describe()).isEqualTo("PostgreSQL jdbc:postgresql://db:5432/w");
        assertThat(serve.seedKeyId).isEqualTo("WMKSEED");
        assertThat(serve.seedSecret).isEqualTo("seedsecret");
    }

    @Test
    void aBadDurationNamesTheExpectedForm() {
        assertThatThrownBy(() -> parse(Map.of(), null, "serve", "--scheduler-poll", "5"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--scheduler-poll")
                .hasMessageContaining("expected an ISO 8601 duration such as PT0.25S");
    }

    @Test
    void theConfigFileIsNamedByFlagOrEnvironment() {
        assertThat(ConfigDefaults.configFile(new String[] {"serve", "--config", "a.properties"}, Map.of()))
                .contains(Path.of("a.properties"));
        assertThat(ConfigDefaults.configFile(new String[] {"serve", "--config=b.properties"}, Map.of()))
                .contains(Path.of("b.properties"));
        assertThat(ConfigDefaults.configFile(new String[] {"serve"}, Map.of("WAYMARK_CONFIG", "c.properties")))
                .contains(Path.of("c.properties"));
        assertThat(ConfigDefaults.environmentName("--scheduler-poll")).isEqualTo("WAYMARK_SCHEDULER_POLL");
    }
}
