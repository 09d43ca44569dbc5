package dev.waymark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command: {@code waymark serve | version}. */
@Command(name = "waymark", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "A self-hosted server that speaks the Amazon Pinpoint journeys API.",
        subcommands = {ServeCommand.class, KeysCommand.class, TransferCommands.Export.class,
                TransferCommands.Import.class, VersionCommand.class})
public final class WaymarkCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--config", scope = CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
            description = "A properties file of settings (the long flag names without '--', e.g. port=8080), "
                    + "also WAYMARK_CONFIG. Precedence: flag, then environment (WAYMARK_<FLAG>), then this file, "
                    + "then the built-in default.")
    java.nio.file.Path config;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The config file the arguments or the environment name. */
    public static java.util.Optional<java.nio.file.Path> configFile(String[] args) {
        return ConfigDefaults.configFile(args, System.getenv());
    }

    /** The command line for this process's environment, without a config file. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv(), java.util.Optional.empty());
    }

    /**
     * The command line with Waymark's parsing rules: defaults from the environment and the config file, one clear
     * line for a bad flag or setting, never a stack trace.
     */
    public static CommandLine commandLine(java.util.Map<String, String> environment,
                                          java.util.Optional<java.nio.file.Path> configFile) {
        CommandLine commandLine = new CommandLine(new WaymarkCommand());
        ConfigDefaults defaults = new ConfigDefaults(environment, configFile);
        commandLine.setDefaultValueProvider(defaults);
        defaults.learnSettings(commandLine.getSubcommands().get("serve"));
        commandLine.registerConverter(java.time.Duration.class, ConfigDefaults::duration);
        commandLine.registerConverter(java.net.URI.class, ConfigDefaults::uri);
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("waymark: " + e.getMessage()
                    + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("waymark: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return commandLine;
    }
}
