package dev.waymark;

import dev.waymark.cli.WaymarkCommand;
import picocli.CommandLine;

/** The {@code waymark} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        CommandLine commandLine;
        try {
            commandLine = WaymarkCommand.commandLine(System.getenv(), WaymarkCommand.configFile(args));
        } catch (IllegalArgumentException e) {
            System.err.println("waymark: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(commandLine.execute(args));
    }
}
