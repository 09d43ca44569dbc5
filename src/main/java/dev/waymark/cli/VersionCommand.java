package dev.waymark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code waymark version}. */
@Command(name = "version", description = "Print Waymark's version.")
public final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println(new Provider().getVersion()[0]);
    }

    /** The version the build wrote into {@code dev/waymark/version.properties}, from jar and classes alike. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties build = new Properties();
            try (InputStream in = VersionCommand.class.getResourceAsStream("/dev/waymark/version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"Waymark " + build.getProperty("version", "(version unknown: not built by Maven)")};
        }
    }
}
