package dev.waymark.audience;

import dev.waymark.rules.RuleViolation;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a job reads or writes, from the S3Url (imports) or S3UrlPrefix (exports) a client sent: an S3 bucket and key
 * or prefix, a local path under the directory the operator allowed, or an https URL.
 */
sealed interface JobLocation {
    /** The longest URL accepted: S3 keys are at most 1024 bytes, and a bucket name 63 characters. */
    int MAX_URL_LENGTH = 2048;

    /** {@code s3://bucket/key}: one object, or every object under the prefix. */
    record S3(String bucket, String key) implements JobLocation {}

    /** A path already resolved to its real location inside the allowed directory. */
    record LocalFile(Path path) implements JobLocation {}

    /** An https URL, read with GET (and written with PUT for exports). */
    record Https(URI uri) implements JobLocation {}

    /**
     * Reads {@code url} (the member {@code member}) for a job; {@code file://} only under {@code allowedDir}
     * ({@code flag} names the setting that allows it), after resolving {@code ..} and symbolic links, so that no path
     * escapes the directory. For exports the file need not exist yet, but its directory must.
     */
    static JobLocation parse(String member, String url, Optional<Path> allowedDir, String flag, boolean mustExist) {
        if (url.length() > MAX_URL_LENGTH) {
            throw new RuleViolation(member + " is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RuleViolation(member + " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "s3" -> {
                String bucket = uri.getHost() == null ? uri.getAuthority() : uri.getHost();
                if (bucket == null || bucket.isEmpty()) {
                    throw new RuleViolation(member + " must name a bucket: s3://bucket-name/folder-name/file-name");
                }
                String path = uri.getRawPath() == null ? "" : uri.getPath();
                return new S3(bucket, path.startsWith("/") ? path.substring(1) : path);
            }
            case "https" -> {
                if (uri.getHost() == null) {
                    throw new RuleViolation(member + " must name a host");
                }
                return new Https(uri);
            }
            case "file" -> {
                return new LocalFile(local(member, uri, allowedDir, flag, mustExist));
            }
            default -> throw new RuleViolation(member + " must be an s3://, https:// or file:// URL, not '"
                    + (url.length() > 100 ? url.substring(0, 100) + "…" : url) + "'");
        }
    }

    private static Path local(String member, URI uri, Optional<Path> allowedDir, String flag, boolean mustExist) {
        if (allowedDir.isEmpty()) {
            throw new RuleViolation(member + ": file:// URLs are refused because the server was started without "
                    + flag);
        }
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty() && !uri.getAuthority().equals("localhost")) {
            throw new RuleViolation(member + ": a file:// URL names a local path (file:///path), not a host");
        }
        String rule = member + ": file:// URLs must name a path inside the directory set by " + flag;
        try {
            Path root = allowedDir.get().toRealPath();
            Path requested = Path.of(uri.getPath()).normalize();
            Path real;
            if (Files.exists(requested)) {
                real = requested.toRealPath();
            } else if (!mustExist && requested.getParent() != null && Files.isDirectory(requested.getParent())) {
                real = requested.getParent().toRealPath().resolve(requested.getFileName());
            } else {
                // Say nothing about what exists outside the directory.
                if (!requested.startsWith(allowedDir.get().toAbsolutePath().normalize()) && !requested.startsWith(root)) {
                    throw new RuleViolation(rule);
                }
                throw new RuleViolation(member + ": " + uri.getPath() + " does not exist");
            }
            if (!real.startsWith(root)) {
                throw new RuleViolation(rule);
            }
            return real;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new RuleViolation(rule);
        }
    }
}
