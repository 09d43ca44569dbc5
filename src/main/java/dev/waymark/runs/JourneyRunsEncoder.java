package dev.waymark.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.waymark.wire.Json;
import dev.waymark.wire.WireTime;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a JourneyRunsResponse straight to JSON bytes: {@code {"Item":[…],"NextToken":…}}. It is the largest
 * response of the API, read most often, so each run is written as the store reads it ({@link #run}) into one byte
 * array, its fixed parts copied as prepared bytes; a JSON generator took a third of a page's encoding in checks of
 * what may come next. Any text that JSON would escape goes through Jackson, so the bytes are the ones Jackson writes.
 */
public final class JourneyRunsEncoder implements RunRows {
    private static final byte[] START = ascii("{\"Item\":[");
    private static final byte[] CREATION_TIME = ascii("{\"CreationTime\":\"");
    private static final byte[] LAST_UPDATE_TIME = ascii("\",\"LastUpdateTime\":\"");
    private static final byte[] RUN_ID = ascii("\",\"RunId\":");
    private static final byte[] NEXT_TOKEN = ascii("],\"NextToken\":");
    private static final byte[] END = ascii("]}");
    private static final byte[] CLOSE = ascii("}");
    /** {@code ,"Status":"NAME"}} for each status, by ordinal. */
    private static final byte[][] STATUS_ENDS = statusEnds();
    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** A run id as Waymark makes them, 32 hexadecimal characters, in its quotes. */
    private static final int QUOTED_RUN_ID = 34;
    /** Characters of a wire time's date and its 'T'. */
    private static final int DATE_LENGTH = 11;
    /**
     * What one run with a 32-character id and the longest status takes on the wire (153 bytes), so the buffer is
     * sized once: growing it copies the whole page, and a page of runs was most of what a GetJourneyRuns allocated.
     */
    private static final int BYTES_PER_RUN = 1 + CREATION_TIME.length + LAST_UPDATE_TIME.length + RUN_ID.length
            + 2 * WireTime.LENGTH + QUOTED_RUN_ID + longest(STATUS_ENDS);
    /** Item's brackets and a NextToken, which is about 150 characters. */
    private static final int ENVELOPE_BYTES = 256;

    private byte[] out;
    private int size;
    private final char[] time = new char[WireTime.LENGTH];
    /** The day of the last time written in full, and its date with the 'T': {@code 2026-11-23T}. */
    private long lastDay = Long.MIN_VALUE;
    private final byte[] lastDate = new byte[DATE_LENGTH];
    private boolean allFinal = true;
    private boolean first = true;

    /** Starts a response of about {@code expectedRuns} runs. */
    public JourneyRunsEncoder(int expectedRuns) {
        out = new byte[ENVELOPE_BYTES + expectedRuns * BYTES_PER_RUN];
        append(START);
    }

    /** Appends one run to Item. */
    @Override
    public void run(String runId, RunStatus status, long createdMillis, long updatedMillis) {
        startRun(createdMillis, updatedMillis);
        appendQuoted(runId);
        endRun(status);
    }

    /** Appends one run whose id is UTF-8 bytes, as SQLite hands them over without building a String. */
    @Override
    public void runUtf8(byte[] runId, RunStatus status, long createdMillis, long updatedMillis) {
        if (!plain(runId)) {
            run(new String(runId, StandardCharsets.UTF_8), status, createdMillis, updatedMillis);
            return;
        }
        startRun(createdMillis, updatedMillis);
        ensure(runId.length + 2);
        out[size++] = '"';
        System.arraycopy(runId, 0, out, size, runId.length);
        size += runId.length;
        out[size++] = '"';
        endRun(status);
    }

    /** Whether every run written so far is in a final status. */
    public boolean allFinal() {
        return allFinal;
    }

    /**
     * Closes Item and adds NextToken unless it is null. The response is then the first {@link #length()} bytes of
     * {@link #buffer()}, written from there rather than copied to an array of its own.
     */
    public void finish(String nextToken) {
        if (nextToken != null) {
            append(NEXT_TOKEN);
            appendQuoted(nextToken);
            append(CLOSE);
        } else {
            append(END);
        }
    }

    /** The buffer the response is written in; only its first {@link #length()} bytes are the response. */
    public byte[] buffer() {
        return out;
    }

    /** How many bytes of {@link #buffer()} are written. */
    public int length() {
        return size;
    }

    /** The response as an array of its own, to keep. */
    public byte[] copy() {
        return Arrays.copyOf(out, size);
    }

    /** The run's object up to the value of RunId, in the order of the wire. */
    private void startRun(long createdMillis, long updatedMillis) {
        if (!first) {
            ensure(1);
            out[size++] = ',';
        }
        first = false;
        append(CREATION_TIME);
        appendTime(createdMillis);
        append(LAST_UPDATE_TIME);
        appendTime(updatedMillis);
        append(RUN_ID);
    }

    private void endRun(RunStatus status) {
        allFinal &= status.isFinal();
        append(STATUS_ENDS[status.ordinal()]);
    }

    /**
     * A wire time. The date part is formatted once per day met: the runs of a page are mostly of the same few days,
     * and the civil date's divisions were most of the cost of a time.
     */
    private void appendTime(long millis) {
        long day = Math.floorDiv(millis, MILLIS_PER_DAY);
        if (day == lastDay) {
            ensure(WireTime.LENGTH);
            System.arraycopy(lastDate, 0, out, size, DATE_LENGTH);
            size += DATE_LENGTH;
            int millisOfDay = (int) (millis - day * MILLIS_PER_DAY);
            twoDigits(millisOfDay / 3_600_000);
            out[size++] = ':';
            twoDigits(millisOfDay / 60_000 % 60);
            out[size++] = ':';
            twoDigits(millisOfDay / 1000 % 60);
            out[size++] = '.';
            int fraction = millisOfDay % 1000;
            out[size++] = (byte) ('0' + fraction / 100);
            twoDigits(fraction % 100);
            out[size++] = 'Z';
            return;
        }
        int length = WireTime.format(millis, time);
        if (length == 0) {
            // A year outside 0 to 9999: only the formatter writes those, and no character of it needs escaping.
            append(ascii(WireTime.ISO.format(java.time.Instant.ofEpochMilli(millis))));
            return;
        }
        ensure(length);
        for (int i = 0; i < length; i++) {
            out[size++] = (byte) time[i];
        }
        for (int i = 0; i < DATE_LENGTH; i++) {
            lastDate[i] = (byte) time[i];
        }
        lastDay = day;
    }

    private void twoDigits(int value) {
        out[size++] = (byte) ('0' + value / 10);
        out[size++] = (byte) ('0' + value % 10);
    }

    /** A JSON string of {@code text}: as it is when nothing in it needs escaping, else as Jackson writes it. */
    private void appendQuoted(String text) {
        int length = text.length();
        boolean plain = true;
        for (int i = 0; i < length && plain; i++) {
            plain = plain(text.charAt(i));
        }
        if (!plain) {
            try {
                append(Json.MAPPER.writeValueAsBytes(text));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a string of a page of runs", e);
            }
            return;
        }
        ensure(length + 2);
        out[size++] = '"';
        for (int i = 0; i < length; i++) {
            out[size++] = (byte) text.charAt(i);
        }
        out[size++] = '"';
    }

    /** Printable ASCII that JSON writes as it is. */
    private static boolean plain(int c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    }

    private static boolean plain(byte[] text) {
        for (byte b : text) {
            if (!plain(b)) {
                return false;
            }
        }
        return true;
    }

    private void append(byte[] bytes) {
        append(bytes, 0, bytes.length);
    }

    private void append(byte[] bytes, int from, int length) {
        ensure(length);
        System.arraycopy(bytes, from, out, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }

    private static byte[][] statusEnds() {
        RunStatus[] statuses = RunStatus.values();
        byte[][] ends = new byte[statuses.length][];
        for (RunStatus status : statuses) {
            ends[status.ordinal()] = ascii(",\"Status\":\"" + status.name() + "\"}");
        }
        return ends;
    }

    private static int longest(byte[][] parts) {
        int longest = 0;
        for (byte[] part : parts) {
            longest = Math.max(longest, part.length);
        }
        return longest;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
