package dev.waymark.cli;

import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqlTransfer;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code waymark export} and {@code waymark import}: move a whole store, e.g. from SQLite to PostgreSQL. */
final class TransferCommands {
    private TransferCommands() {}

    /** {@code waymark export FILE}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write everything in the store (apps, journeys, runs, tags, access keys) to FILE as JSON lines.")
    static final class Export implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "FILE", description = "Where to write; an existing file is replaced once the "
                + "export is complete. Readable by its owner only: it holds every secret of the store.")
        Path file;

        @Override
        public Integer call() throws Exception {
            Path target = file.toAbsolutePath();
            // Written beside the target and renamed over it only when complete: a failed or interrupted export
            // never leaves a partial file under the name, and the secrets are never readable by others.
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial",
                    ownerOnly());
            Map<String, Integer> counts;
            try {
                try (SqlStore opened = store.openExisting();
                     FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                     OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                     Progress progress = new Progress("export", SqlTransfer.rowCount(opened))) {
                    counts = SqlTransfer.export(opened, out, progress::step);
                    out.flush();
                    channel.force(true);
                    progress.finished();
                }
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            System.out.println("exported " + describe(counts) + " to " + file);
            return 0;
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    /** {@code waymark import FILE}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Load a file written by 'waymark export' into the store, in one transaction. Refuses a "
                    + "store that already holds data unless --into-non-empty is given.")
    static final class Import implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "FILE", description = "A file written by 'waymark export'.")
        Path file;

        @Option(names = "--into-non-empty", description = "Import even though the store holds data: each row of the "
                + "file is inserted, or updates the row with the same key; nothing is deleted.")
        boolean intoNonEmpty;

        @Override
        public Integer call() throws Exception {
            if (!Files.isReadable(file)) {
                System.err.println("waymark: cannot read " + file);
                return 1;
            }
            try (SqlStore opened = store.open();
                 BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                if (!intoNonEmpty && !SqlTransfer.isEmpty(opened)) {
                    System.err.println("waymark: the target store already holds data; import into an empty store, "
                            + "or pass --into-non-empty to merge (rows with the same key are updated, none deleted)");
                    return 1;
                }
                Map<String, Integer> counts;
                try (Progress progress = new Progress("import", lineCount(file))) {
                    counts = SqlTransfer.importFrom(opened, in, progress::step);
                    progress.finished();
                }
                System.out.println("imported " + describe(counts) + " from " + file);
            }
            return 0;
        }
    }

    private static long lineCount(Path file) throws java.io.IOException {
        try (java.util.stream.Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            // Every line but the trailer is a row.
            return Math.max(0, lines.count() - 1);
        }
    }

    private static String describe(Map<String, Integer> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((table, count) -> text.append(text.length() == 0 ? "" : ", ").append(count).append(' ')
                .append(table.replace('_', ' ')));
        return text.toString();
    }
}
