package dev.waymark.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when the command line does not give it: first the environment variable
 * named after the flag ({@code --scheduler-poll} reads {@code WAYMARK_SCHEDULER_POLL}), then the config file
 * ({@code scheduler-poll=PT1S}), then the built-in default. So: flag &gt; environment &gt; file &gt; default.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    private final Map<String, String> environment;
    private final Properties file;
    private final Optional<Path> filePath;

    ConfigDefaults(Map<String, String> environment, Optional<Path> filePath) {
        this.environment = environment;
        this.filePath = filePath;
        this.file = new Properties();
        if (filePath.isPresent()) {
            try (Reader reader = Files.newBufferedReader(filePath.get(), StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the config file " + filePath.get() + ": " + e.getMessage());
            }
        }
    }

    /** The config file named by {@code --config FILE} (or {@code --config=FILE}) in args, else WAYMARK_CONFIG. */
    static Optional<Path> configFile(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(Path.of(args[i].substring("--config=".length())));
            }
        }
        return Optional.ofNullable(environment.get("WAYMARK_CONFIG")).filter(v -> !v.isBlank()).map(Path::of);
    }

    static String environmentName(String longName) {
        return "WAYMARK_" + longName.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.longestName().equals("--config")) {
            return null;
        }
        String value = environment.get(environmentName(option.longestName()));
        if (value != null && !value.isBlank()) {
            return value;
        }
        return file.getProperty(option.longestName().replaceFirst("^--", ""));
    }

    /** Every key of the file must be an option of some command: a typo should not pass unnoticed. */
    void checkKeys(CommandLine commandLine) {
        Set<String> known = new TreeSet<>();
        collect(commandLine, known);
        for (String key : file.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "' in " + filePath.orElseThrow()
                        + "; settings are the long flag names without '--', such as port=8080");
            }
        }
    }

    private static void collect(CommandLine commandLine, Set<String> known) {
        for (OptionSpec option : commandLine.getCommandSpec().options()) {
            known.add(option.longestName().replaceFirst("^--", ""));
        }
        commandLine.getSubcommands().values().forEach(sub -> collect(sub, known));
    }
}
