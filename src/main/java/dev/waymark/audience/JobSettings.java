package dev.waymark.audience;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where import and export jobs may read and write, and how nodes share the work.
 *
 * @param importDir the only directory {@code file://} imports may read under; empty refuses {@code file://}
 * @param exportDir the only directory {@code file://} exports may write under; empty refuses {@code file://}
 * @param s3Endpoint an S3-compatible server (MinIO, Ceph, …) addressed path-style; empty means AWS S3
 * @param lease how long a node holds a job without renewing it; a job whose node died is taken over after this
 * @param poll how often each node looks for a job to run
 */
public record JobSettings(Optional<Path> importDir, Optional<Path> exportDir, Optional<URI> s3Endpoint,
                          Duration lease, Duration poll) {
    public static final JobSettings DEFAULTS = new JobSettings(Optional.empty(), Optional.empty(), Optional.empty(),
            Duration.ofSeconds(30), Duration.ofSeconds(1));

    public JobSettings withImportDir(Path directory) {
        return new JobSettings(Optional.of(directory), exportDir, s3Endpoint, lease, poll);
    }

    public JobSettings withExportDir(Path directory) {
        return new JobSettings(importDir, Optional.of(directory), s3Endpoint, lease, poll);
    }

    public JobSettings withS3Endpoint(URI endpoint) {
        return new JobSettings(importDir, exportDir, Optional.of(endpoint), lease, poll);
    }

    public JobSettings withLease(Duration newLease, Duration newPoll) {
        return new JobSettings(importDir, exportDir, s3Endpoint, newLease, newPoll);
    }
}
