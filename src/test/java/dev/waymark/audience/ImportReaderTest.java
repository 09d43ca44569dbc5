package dev.waymark.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportReaderTest {
    private static List<ImportReader.Row> read(String text, String format, long skip) throws IOException {
        try (ImportReader reader = ImportReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                format)) {
            reader.skip(skip);
            List<ImportReader.Row> rows = new ArrayList<>();
            ImportReader.Row row;
            while ((row = reader.next()) != null) {
                rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void csvRowsBecomeEndpointBatchItemsWithTheirLines() throws IOException {
        List<ImportReader.Row> rows = read("ChannelType,Address,Id,User.UserId,Attributes.Plan,Attributes.Plan,"
                + "User.UserAttributes.Name,Metrics.visits,Demographic.Timezone,Location.Latitude,OptOut\n"
                + "EMAIL,a@example.com,one,u1,pro,team,Ada,3,Europe/Paris,48.85,NONE\n"
                + "\n"
                + "SMS,\"+1555\",two,,,,,,,,\n", "CSV", 0);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(0).item().toString()).isEqualTo("{\"ChannelType\":\"EMAIL\",\"Address\":\"a@example.com\","
                + "\"Id\":\"one\",\"User\":{\"UserId\":\"u1\",\"UserAttributes\":{\"Name\":[\"Ada\"]}},"
                + "\"Attributes\":{\"Plan\":[\"pro\",\"team\"]},\"Metrics\":{\"visits\":3.0},"
                + "\"Demographic\":{\"Timezone\":\"Europe/Paris\"},\"Location\":{\"Latitude\":48.85},\"OptOut\":\"NONE\"}");
        assertThat(rows.get(1).line()).isEqualTo(4);
        assertThat(rows.get(1).item().toString()).isEqualTo("{\"ChannelType\":\"SMS\",\"Address\":\"+1555\",\"Id\":\"two\"}");
    }

    @Test
    void aBadCsvValueFailsItsRowOnlyAndResumingSkipsRecords() throws IOException {
        String csv = "Id,Metrics.visits\none,1\ntwo,many\nthree,3\n";
        List<ImportReader.Row> rows = read(csv, "CSV", 0);
        assertThat(rows).extracting(ImportReader.Row::error)
                .containsExactly(null, "Metrics.visits must be a number, not 'many'", null);
        assertThat(read(csv, "CSV", 2)).extracting(ImportReader.Row::line).containsExactly(4L);
    }

    @Test
    void anUnknownCsvColumnFailsThePieceNamingIt() {
        assertThatThrownBy(() -> read("Id,Shoe.Size\none,4\n", "CSV", 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("line 1: unknown column 'Shoe.Size'");
    }

    @Test
    void jsonLinesAreItemsAndABadLineIsItsOwnFailure() throws IOException {
        List<ImportReader.Row> rows = read("{\"Id\":\"one\",\"ChannelType\":\"EMAIL\"}\n\nnot json\n[1]\n"
                + "{\"Id\":\"two\"}", "JSON", 0);
        assertThat(rows).extracting(ImportReader.Row::line).containsExactly(1L, 3L, 4L, 5L);
        assertThat(rows.get(1).error()).startsWith("the line is not valid JSON");
        assertThat(rows.get(2).error()).isEqualTo("the line is not a JSON object (an EndpointBatchItem)");
        assertThat(rows.get(3).item().get("Id").textValue()).isEqualTo("two");
    }

    @Test
    void anOverlongLineIsRefusedWithoutKeepingIt() throws IOException {
        String huge = "{\"Id\":\"" + "x".repeat(ImportReader.MAX_RECORD_CHARS) + "\"}\n{\"Id\":\"ok\"}\n";
        List<ImportReader.Row> rows = read(huge, "JSON", 0);
        assertThat(rows.get(0).error()).contains("longer than");
        assertThat(rows.get(1).item().get("Id").textValue()).isEqualTo("ok");
    }
}
