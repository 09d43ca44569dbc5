package dev.waymark.audience;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads import pieces from, and writes export files to, S3 (or an S3-compatible server), a local directory or an
 * https URL. The S3 client is made on first use, with the SDK's usual credential chain.
 */
final class JobStorage implements AutoCloseable {
    /** Pieces (objects or files) one import reads at most. */
    static final int MAX_PIECES = 1000;
    /** Bytes one piece may have: Pinpoint's own limit for a whole import job is 1 GB. */
    static final long MAX_PIECE_BYTES = 1L << 30;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    private final JobSettings settings;
    private final String region;
    private S3Client s3;
    private HttpClient http;

    JobStorage(JobSettings settings, String region) {
        this.settings = settings;
        this.region = region;
    }

    /** The pieces of an import: object keys, file paths or the URL; empty when there is nothing to read. */
    List<String> pieces(JobLocation location, String format) throws IOException {
        String extension = "." + format.toLowerCase(Locale.ROOT);
        if (location instanceof JobLocation.S3 s3Location) {
            List<String> keys = new ArrayList<>();
            String token = null;
            do {
                ListObjectsV2Response page = s3().listObjectsV2(ListObjectsV2Request.builder()
                        .bucket(s3Location.bucket()).prefix(s3Location.key()).continuationToken(token).build());
                for (S3Object object : page.contents()) {
                    if (object.key().endsWith("/")) {
                        continue;
                    }
                    // An exact key is one file whatever its name; under a prefix, only files of the job's format.
                    if (object.key().equals(s3Location.key())) {
                        return List.of(object.key());
                    }
                    if (object.key().toLowerCase(Locale.ROOT).endsWith(extension)) {
                        keys.add(object.key());
                    }
                    if (keys.size() > MAX_PIECES) {
                        throw new IOException("more than " + MAX_PIECES + " files under s3://" + s3Location.bucket()
                                + "/" + s3Location.key());
                    }
                }
                token = page.isTruncated() ? page.nextContinuationToken() : null;
            } while (token != null);
            return keys;
        }
        if (location instanceof JobLocation.LocalFile file) {
            if (Files.isRegularFile(file.path())) {
                return List.of(file.path().toString());
            }
            if (!Files.isDirectory(file.path())) {
                throw new IOException(file.path() + " does not exist");
            }
            Path root = settings.importDir().orElseThrow().toRealPath();
            try (Stream<Path> walk = Files.walk(file.path())) {
                List<String> files = walk.filter(Files::isRegularFile)
                        .filter(path -> path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(extension))
                        .filter(path -> inside(path, root))
                        .map(Path::toString).sorted().limit(MAX_PIECES + 1L).toList();
                if (files.size() > MAX_PIECES) {
                    throw new IOException("more than " + MAX_PIECES + " files under " + file.path());
                }
                return files;
            }
        }
        return List.of(((JobLocation.Https) location).uri().toString());
    }

    /** Opens one piece for reading, capped at {@link #MAX_PIECE_BYTES}. */
    InputStream open(JobLocation location, String piece) throws IOException {
        if (location instanceof JobLocation.S3 s3Location) {
            return new CappedInputStream(s3().getObject(request -> request.bucket(s3Location.bucket()).key(piece)),
                    MAX_PIECE_BYTES);
        }
        if (location instanceof JobLocation.LocalFile) {
            Path path = Path.of(piece);
            // The walk was checked, but a link may have been changed since: check the real path again.
            if (!inside(path, settings.importDir().orElseThrow().toRealPath())) {
                throw new IOException(piece + " is no longer inside the import directory");
            }
            return new CappedInputStream(Files.newInputStream(path.toRealPath()), MAX_PIECE_BYTES);
        }
        HttpResponse<InputStream> response;
        try {
            response = http().send(HttpRequest.newBuilder(URI.create(piece)).timeout(HTTP_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + piece);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("GET " + piece + " answered HTTP " + response.statusCode());
        }
        return new CappedInputStream(response.body(), MAX_PIECE_BYTES);
    }

    /** Writes an export file (already complete in {@code file}) to {@code name} under the location. */
    String write(JobLocation location, String name, Path file) throws IOException {
        if (location instanceof JobLocation.S3 s3Location) {
            String prefix = s3Location.key().isEmpty() || s3Location.key().endsWith("/") ? s3Location.key()
                    : s3Location.key() + "/";
            s3().putObject(request -> request.bucket(s3Location.bucket()).key(prefix + name)
                    .contentType("application/gzip"), RequestBody.fromFile(file));
            return "s3://" + s3Location.bucket() + "/" + prefix + name;
        }
        if (location instanceof JobLocation.LocalFile directory) {
            Path target = directory.path().resolve(name);
            Files.createDirectories(target.getParent());
            Path written = Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return written.toUri().toString();
        }
        URI uri = ((JobLocation.Https) location).uri();
        URI target = uri.resolve((uri.getPath().endsWith("/") ? "" : uri.getPath() + "/") + name);
        try {
            HttpResponse<Void> response = http().send(HttpRequest.newBuilder(target).timeout(HTTP_TIMEOUT)
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("PUT " + target + " answered HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing " + target);
        }
        return target.toString();
    }

    private static boolean inside(Path path, Path root) {
        try {
            return path.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized S3Client s3() {
        if (s3 == null) {
            var builder = S3Client.builder().region(Region.of(region))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(HTTP_TIMEOUT)
                            .socketTimeout(HTTP_TIMEOUT).build());
            Optional<URI> endpoint = settings.s3Endpoint();
            endpoint.ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
            s3 = builder.build();
        }
        return s3;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            // Redirects off: a URL the client gave must not lead the server somewhere else.
            http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return http;
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
    }

    /** Ends a read with an IOException past a byte limit, so that no piece costs more than the limit. */
    private static final class CappedInputStream extends java.io.FilterInputStream {
        private final long limit;
        private long read;

        CappedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws IOException {
            read += n;
            if (read > limit) {
                throw new IOException("the file is larger than " + limit + " bytes");
            }
        }
    }
}
