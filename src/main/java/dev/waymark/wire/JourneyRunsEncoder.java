package dev.waymark.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.waymark.domain.RunSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a JourneyRunsResponse straight to JSON bytes. It is the largest response of the API, read most often, so
 * it is streamed member by member instead of going through bean serialization.
 */
public final class JourneyRunsEncoder {
    private static final SerializedString ITEM = new SerializedString("Item");
    private static final SerializedString NEXT_TOKEN = new SerializedString("NextToken");
    private static final SerializedString CREATION_TIME = new SerializedString("CreationTime");
    private static final SerializedString LAST_UPDATE_TIME = new SerializedString("LastUpdateTime");
    private static final SerializedString RUN_ID = new SerializedString("RunId");
    private static final SerializedString STATUS = new SerializedString("Status");
    /** About what one run takes on the wire, so the buffer is sized once. */
    private static final int BYTES_PER_RUN = 150;

    private JourneyRunsEncoder() {}

    /** {@code {"Item":[…],"NextToken":…}}, NextToken left out when null. */
    public static byte[] encode(List<RunSummary> runs, String nextToken) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + runs.size() * BYTES_PER_RUN);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName(ITEM);
            json.writeStartArray();
            for (RunSummary run : runs) {
                json.writeStartObject();
                json.writeFieldName(CREATION_TIME);
                json.writeString(WireTime.format(run.createdAt()));
                json.writeFieldName(LAST_UPDATE_TIME);
                json.writeString(WireTime.format(run.updatedAt()));
                json.writeFieldName(RUN_ID);
                json.writeString(run.runId());
                json.writeFieldName(STATUS);
                json.writeString(run.status().name());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (nextToken != null) {
                json.writeFieldName(NEXT_TOKEN);
                json.writeString(nextToken);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a page of runs", e);
        }
        return out.toByteArray();
    }
}
