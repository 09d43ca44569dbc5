package dev.waymark.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes one page of a listing as JSON ({@code {"Item":[…],"NextToken":…}}) item by item while reading the store in
 * small batches, and ends the page early once it passes a byte budget, with a NextToken after the last item written.
 * Neither the rows read nor the page written grow with the page size a client asks for.
 */
public final class BudgetedPage {
    /** A page ends after the item that takes it past this many bytes. */
    static final int PAGE_BYTES = 1024 * 1024;
    /** Rows read from the store at a time. */
    static final int BATCH = 16;

    /** One batch of the listing from the store. */
    public interface Batches<T> {
        Page<T> read(Optional<PageCursor> after, int limit);
    }

    /** How a listing's items become JSON, and how a token is made. */
    public interface Listing<T> {
        Object item(T row);

        String token(PageCursor next);
    }

    private BudgetedPage() {}

    public static <T> byte[] write(Batches<T> batches, Optional<PageCursor> after, int pageSize, Listing<T> listing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("Item");
            Optional<PageCursor> next = writeItems(json, out, batches, after, pageSize, listing);
            json.writeEndArray();
            if (next.isPresent()) {
                json.writeStringField("NextToken", listing.token(next.get()));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a page", e);
        }
        return out.toByteArray();
    }

    /** Writes the items; returns where the next page starts, or empty after the last item of the listing. */
    private static <T> Optional<PageCursor> writeItems(JsonGenerator json, ByteArrayOutputStream out,
                                                       Batches<T> batches, Optional<PageCursor> after, int pageSize,
                                                       Listing<T> listing) throws IOException {
        int remaining = pageSize;
        Optional<PageCursor> position = after;
        while (remaining > 0) {
            Page<T> batch = batches.read(position, Math.min(remaining, BATCH));
            for (int i = 0; i < batch.items().size(); i++) {
                T row = batch.items().get(i);
                json.writeObject(listing.item(row));
                json.flush();
                remaining--;
                boolean more = i < batch.items().size() - 1 || batch.next().isPresent();
                if (out.size() >= PAGE_BYTES && more) {
                    return Optional.of(batch.cursorAfter(i));
                }
            }
            if (batch.next().isEmpty()) {
                return Optional.empty();
            }
            position = batch.next();
        }
        return position;
    }

    /** Function-based {@link Listing}. */
    public static <T> Listing<T> listing(Function<T, Object> item, Function<PageCursor, String> token) {
        return new Listing<>() {
            @Override
            public Object item(T row) {
                return item.apply(row);
            }

            @Override
            public String token(PageCursor next) {
                return token.apply(next);
            }
        };
    }
}
