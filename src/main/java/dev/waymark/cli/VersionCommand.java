package dev.waymark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code waymark version}. */
@Command(name = "version", description = "Print Waymark's version.")
public final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println(new Provider().getVersion()[0]);
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = VersionCommand.class.getPackage().getImplementationVersion();
            return new String[] {"Waymark " + (version == null ? "development" : version)};
        }
    }
}
