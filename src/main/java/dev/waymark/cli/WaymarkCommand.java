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

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with Waymark's parsing rules: one clear line for a bad flag, never a stack trace. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new WaymarkCommand());
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
