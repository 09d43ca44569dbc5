package dev.waymark.store.sql;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directory of the embedded store. It holds every secret (access keys, the page-token key), so it is created
 * readable by its owner only (0700, the database 0600), and one server at a time may serve it: two would each run
 * the scheduler on the same journeys.
 */
public final class SqliteDataDirectory {
    /** The database file inside the directory. */
    public static final String DATABASE = "waymark.db";
    private static final String LOCK = "waymark.lock";

    private SqliteDataDirectory() {}

    /** Creates the directory (0700) and an empty database file (0600) when they do not exist yet. */
    public static void prepare(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, ownerOnly("rwx------"));
        }
        createOwnerOnly(dir.resolve(DATABASE));
    }

    /**
     * Takes the directory's server lock, held until the returned lock is closed (or the process ends); an
     * IllegalStateException with a one-line message when another server holds it.
     */
    public static AutoCloseable lockForServer(Path dir) throws IOException {
        Path file = dir.resolve(LOCK);
        createOwnerOnly(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another Waymark server is already running on the data directory "
                    + dir.toAbsolutePath() + "; stop it first, or give this one another --data-dir");
        }
        return channel::close;
    }

    /** Creates an empty file readable and writable by its owner only (SQLite gives its -wal and -shm the same). */
    private static void createOwnerOnly(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createFile(file, ownerOnly("rw-------"));
        } catch (FileAlreadyExistsException raced) {
            // Another process created it first; fine.
        }
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> set = PosixFilePermissions.fromString(permissions);
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(set)};
    }
}
