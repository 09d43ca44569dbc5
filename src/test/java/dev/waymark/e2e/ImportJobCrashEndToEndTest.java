package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.waymark.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.ExportJobResponse;
import software.amazon.awssdk.services.pinpoint.model.ImportJobResponse;

/**
 * kill -9 of a real Waymark process in the middle of an import, then a restart on the same store: the job resumes
 * where its last chunk committed and ends with every row imported exactly once.
 */
class ImportJobCrashEndToEndTest {
    private static final int ROWS = 30_000;
    private static final String ROLE = "arn:aws:iam::000000000000:role/import";

    @TempDir
    Path workDir;

    @Test
    void twoNodesOnOnePostgresShareImportJobsAndNoneIsRunTwice() throws Exception {
        Path imports = Files.createDirectories(workDir.resolve("imports"));
        Path exports = Files.createDirectories(workDir.resolve("exports"));
        String db = TestDatabases.newPostgresDatabase();
        ServerConfig config = ServerConfig.defaults(workDir.resolve("node"), 0).withDbUrl(db).withImportDir(imports)
                .withExportDir(exports);
        try (WaymarkTestServer one = WaymarkTestServer.start(config);
             WaymarkTestServer two = WaymarkTestServer.start(config)) {
            String app = one.client().createApp(r -> r.createApplicationRequest(a -> a.name("shared")))
                    .applicationResponse().id();
            List<String> jobs = new ArrayList<>();
            for (int f = 0; f < 6; f++) {
                Path file = imports.resolve("part" + f + ".csv");
                try (BufferedWriter out = Files.newBufferedWriter(file)) {
                    out.write("ChannelType,Address,Id\n");
                    for (int i = 0; i < 2500; i++) {
                        out.write("EMAIL,p" + f + "-" + i + "@example.com,p" + f + "-" + i + "\n");
                    }
                }
                // Each node accepts half of them; either may run any.
                PinpointClient client = (f % 2 == 0 ? one : two).client();
                jobs.add(client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i.format("CSV")
                        .roleArn(ROLE).s3Url(file.toUri().toString()))).importJobResponse().id());
            }
            for (String job : jobs) {
                ImportJobResponse done = ImportExportJobsEndToEndTest.awaitImport(one.client(), app, job, 180);
                assertThat(done.jobStatusAsString()).isEqualTo("COMPLETED");
                assertThat(done.totalProcessed()).isEqualTo(2500);
            }
            ExportJobResponse count = ImportExportJobsEndToEndTest.awaitExport(two.client(), app, two.client()
                    .createExportJob(r -> r.applicationId(app).exportJobRequest(e -> e.roleArn(ROLE)
                            .s3UrlPrefix(exports.toUri().toString()))).exportJobResponse().id());
            assertThat(count.totalProcessed()).isEqualTo(6 * 2500);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anImportKilledMidFileResumesWithNoRowLostOrDoubled(String store) throws Exception {
        Path dataDir = workDir.resolve("data");
        Path imports = Files.createDirectories(workDir.resolve("imports"));
        Path exports = Files.createDirectories(workDir.resolve("exports"));
        Path file = imports.resolve("big.csv");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("ChannelType,Address,Id,User.UserId,Attributes.Plan,Metrics.visits\n");
            for (int i = 0; i < ROWS; i++) {
                out.write("EMAIL,user" + i + "@example.com,endpoint-" + i + ",user-" + i + ",plan" + (i % 7) + ","
                        + i + "\n");
            }
        }
        List<String> arguments = new ArrayList<>(List.of("--import-dir", imports.toString(), "--export-dir",
                exports.toString(), "--job-lease", "PT2S"));
        if (store.equals("postgresql")) {
            arguments.addAll(List.of("--db-url", TestDatabases.newPostgresDatabase()));
        }
        String[] args = arguments.toArray(String[]::new);
        String app;
        String jobId;
        long processedAtKill;
        try (WaymarkProcess first = WaymarkProcess.start(dataDir, args)) {
            PinpointClient client = WaymarkTestServer.clientFor(first.url());
            app = client.createApp(r -> r.createApplicationRequest(a -> a.name("crash"))).applicationResponse().id();
            jobId = client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i.format("CSV")
                    .roleArn(ROLE).s3Url(file.toUri().toString()))).importJobResponse().id();
            ImportJobResponse job;
            do {
                Thread.sleep(20);
                job = client.getImportJob(r -> r.applicationId(app).jobId(jobId)).importJobResponse();
            } while (job.totalProcessed() < 3000 && !job.jobStatusAsString().equals("COMPLETED"));
            first.kill();
            processedAtKill = job.totalProcessed();
        }
        assertThat(processedAtKill).as("the kill landed mid-file").isLessThan(ROWS);

        try (WaymarkProcess second = WaymarkProcess.start(dataDir, args)) {
            PinpointClient client = WaymarkTestServer.clientFor(second.url());
            ImportJobResponse done = ImportExportJobsEndToEndTest.awaitImport(client, app, jobId, 240);
            assertThat(done.jobStatusAsString()).isEqualTo("COMPLETED");
            assertThat(done.totalProcessed()).isEqualTo(ROWS);
            assertThat(done.totalFailures()).isZero();
            assertThat(done.completedPieces()).isEqualTo(1);
            ExportJobResponse count = ImportExportJobsEndToEndTest.awaitExport(client, app, client.createExportJob(r -> r
                    .applicationId(app).exportJobRequest(e -> e.roleArn(ROLE).s3UrlPrefix(exports.toUri().toString())))
                    .exportJobResponse().id());
            assertThat(count.totalProcessed()).as("endpoints stored").isEqualTo(ROWS);
            assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("endpoint-" + (ROWS - 1)))
                    .endpointResponse().metrics()).containsEntry("visits", (double) (ROWS - 1));
            second.stop();
        }
    }
}
