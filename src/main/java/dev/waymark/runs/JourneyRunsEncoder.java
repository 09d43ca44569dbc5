package dev.waymark.runs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.waymark.wire.Json;
import dev.waymark.wire.WireTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a JourneyRunsResponse straight to JSON bytes. It is the largest response of the API, read most often, so
 * each run is written as the store reads it ({@link #run}) instead of going through objects and bean
 * serialization: {@code {"Item":[…],"NextToken":…}}.
 */
public final class JourneyRunsEncoder implements RunRows {
    private static final SerializedString ITEM = new SerializedString("Item");
    private static final SerializedString NEXT_TOKEN = new SerializedString("NextToken");
    private static final SerializedString CREATION_TIME = new SerializedString("CreationTime");
    private static final SerializedString LAST_UPDATE_TIME = new SerializedString("LastUpdateTime");
    private static final SerializedString RUN_ID = new SerializedString("RunId");
    private static final SerializedString STATUS = new SerializedString("Status");
    /** The statuses as the generator writes them, quoted and escaped once. */
    private static final SerializedString[] STATUS_NAMES = statusNames();
    /** About what one run takes on the wire, so the buffer is sized once. */
    private static final int BYTES_PER_RUN = 150;

    private final ByteArrayOutputStream out;
    private final JsonGenerator json;
    private final char[] time = new char[WireTime.LENGTH];
    private boolean allFinal = true;

    /** Starts a response of about {@code expectedRuns} runs. */
    public JourneyRunsEncoder(int expectedRuns) {
        out = new ByteArrayOutputStream(64 + expectedRuns * BYTES_PER_RUN);
        try {
            json = Json.MAPPER.getFactory().createGenerator(out);
            json.writeStartObject();
            json.writeFieldName(ITEM);
            json.writeStartArray();
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Appends one run to Item. */
    @Override
    public void run(String runId, RunStatus status, long createdMillis, long updatedMillis) {
        try {
            startRun(status, createdMillis, updatedMillis);
            json.writeString(runId);
            endRun(status);
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /**
     * Appends one run whose id is UTF-8 bytes. An ASCII id (Waymark's own are hex) is written as it is, escaped where
     * JSON needs it, never decoded; any other goes through a String, since the generator escapes characters beyond
     * the Basic Multilingual Plane from a String but would copy their bytes, and the wire must not change.
     */
    @Override
    public void runUtf8(byte[] runId, RunStatus status, long createdMillis, long updatedMillis) {
        if (!ascii(runId)) {
            run(new String(runId, java.nio.charset.StandardCharsets.UTF_8), status, createdMillis, updatedMillis);
            return;
        }
        try {
            startRun(status, createdMillis, updatedMillis);
            json.writeUTF8String(runId, 0, runId.length);
            endRun(status);
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    private static boolean ascii(byte[] text) {
        for (byte b : text) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** The run's object up to the value of RunId, in the order of the wire. */
    private void startRun(RunStatus status, long createdMillis, long updatedMillis) throws IOException {
        allFinal &= status.isFinal();
        json.writeStartObject();
        json.writeFieldName(CREATION_TIME);
        writeTime(createdMillis);
        json.writeFieldName(LAST_UPDATE_TIME);
        writeTime(updatedMillis);
        json.writeFieldName(RUN_ID);
    }

    private void endRun(RunStatus status) throws IOException {
        json.writeFieldName(STATUS);
        json.writeString(STATUS_NAMES[status.ordinal()]);
        json.writeEndObject();
    }

    /** Whether every run written so far is in a final status. */
    public boolean allFinal() {
        return allFinal;
    }

    /** Closes Item, adds NextToken unless it is null, and returns the response. */
    public byte[] finish(String nextToken) {
        try {
            json.writeEndArray();
            if (nextToken != null) {
                json.writeFieldName(NEXT_TOKEN);
                json.writeString(nextToken);
            }
            json.writeEndObject();
            json.close();
        } catch (IOException e) {
            throw cannotWrite(e);
        }
        return out.toByteArray();
    }

    private void writeTime(long millis) throws IOException {
        int length = WireTime.format(millis, time);
        if (length > 0) {
            json.writeString(time, 0, length);
        } else {
            json.writeString(WireTime.ISO.format(java.time.Instant.ofEpochMilli(millis)));
        }
    }

    private static SerializedString[] statusNames() {
        RunStatus[] statuses = RunStatus.values();
        SerializedString[] names = new SerializedString[statuses.length];
        for (RunStatus status : statuses) {
            names[status.ordinal()] = new SerializedString(status.name());
        }
        return names;
    }

    private static UncheckedIOException cannotWrite(IOException e) {
        return new UncheckedIOException("cannot write a page of runs", e);
    }
}
