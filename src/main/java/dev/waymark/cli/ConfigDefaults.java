package dev.waymark.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
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
 * Only settings (the options of {@code serve}, which include the store's) come from there: an option meant for one
 * invocation, such as {@code import --into-non-empty} or {@code keys create --admin}, is never switched on by a
 * stray variable or file key.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    private final Map<String, String> environment;
    private final Properties file;
    private final Optional<Path> filePath;
    private final Set<String> settings = new TreeSet<>();

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

    /** Parses a duration flag, naming the form expected instead of a Java exception. */
    static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(
                    "expected an ISO 8601 duration such as PT0.25S, PT5S or PT1M, not '" + text + "'");
        }
    }

    /** Parses a URL flag, saying what is wrong with it in one line instead of a Java exception. */
    static java.net.URI uri(String text) {
        try {
            return new java.net.URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new CommandLine.TypeConversionException("expected a URL such as https://host/path, not '" + text
                    + "' (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
    }

    static String environmentName(String longName) {
        return "WAYMARK_" + longName.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || !settings.contains(option.longestName())) {
            return null;
        }
        String value = environment.get(environmentName(option.longestName()));
        if (value != null && !value.isBlank()) {
            return value;
        }
        return file.getProperty(option.longestName().replaceFirst("^--", ""));
    }

    /**
     * Learns which options are settings (those of {@code serve}) and checks that every key of the file is one: a typo,
     * or a one-off option such as {@code into-non-empty}, should not pass unnoticed.
     */
    void learnSettings(CommandLine serve) {
        for (OptionSpec option : serve.getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp() && !option.longestName().equals("--config")) {
                settings.add(option.longestName());
            }
        }
        for (String key : file.stringPropertyNames()) {
            if (!settings.contains("--" + key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "' in " + filePath.orElseThrow()
                        + "; settings are the long flag names of 'waymark serve' without '--', such as port=8080");
            }
        }
    }
}
