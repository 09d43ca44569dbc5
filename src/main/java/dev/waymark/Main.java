package dev.waymark;

import dev.waymark.cli.WaymarkCommand;
import picocli.CommandLine;

/** The {@code waymark} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(WaymarkCommand.commandLine().execute(args));
    }
}
