package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open and click tracking of one email, the step every message builder (direct sends now, the journey engine later)
 * takes once the email is rendered: each {@code http(s)} link of an {@code <a href>} in the HtmlPart becomes
 * {@code <public-url>/t/c/<token>}, a 1×1 pixel {@code <public-url>/t/o/<token>} goes before {@code </body>}, and the
 * email gets {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} headers ({@code <public-url>/t/u/<token>},
 * RFC 8058). The TextPart is never touched, nor any other channel. Without {@code --public-url} nothing changes.
 * At most {@link #MAX_LINKS} links are rewritten; an email that would grow past the 600,000 characters of
 * Pinpoint's limit is left as it was.
 */
public final class EmailTracking {
    /** Links rewritten per email; the rest are left as they are. */
    public static final int MAX_LINKS = 100;
    /** The template tag whose value {@code off} leaves emails of that template untracked. */
    public static final String TEMPLATE_TAG = "waymark:tracking";
    /** An {@code <a ...>} tag longer than this is left alone: no real tag is, and the scan stays linear. */
    private static final int MAX_TAG_CHARACTERS = 8192;
    private static final Pattern HREF = Pattern.compile(
            "\\shref\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')", Pattern.CASE_INSENSITIVE);
    private static final Pattern WEB_LINK = Pattern.compile("https?://[^\\s<>\"']+", Pattern.CASE_INSENSITIVE);

    private final Optional<String> base;
    private final boolean rewrite;
    private final TrackingToken tokens;

    /**
     * Tracking with URLs under {@code publicUrl} (none: no tracking and no unsubscribe URLs); {@code rewrite} false
     * keeps links and pixel out of every email while {@code {{unsubscribeUrl}}} still works.
     */
    public EmailTracking(Optional<URI> publicUrl, boolean rewrite, TrackingToken tokens) {
        this.base = publicUrl.map(url -> url.toString().replaceAll("/+$", ""));
        this.rewrite = rewrite;
        this.tokens = tokens;
    }

    /** No public URL: emails go out as rendered. */
    public static EmailTracking off() {
        return new EmailTracking(Optional.empty(), false, new TrackingToken(new byte[32]));
    }

    /** Whether there is a public URL to point links at. */
    public boolean available() {
        return base.isPresent();
    }

    /** Whether a template's tags allow tracking ({@code waymark:tracking} is not {@code off}). */
    public static boolean allowedByTags(Map<String, String> tags) {
        return !"off".equalsIgnoreCase(tags.getOrDefault(TEMPLATE_TAG, "").trim());
    }

    /** The unsubscribe URL of one message to one endpoint; empty without a public URL. */
    public Optional<String> unsubscribeUrl(String appId, String messageId, Origin origin, String endpointId) {
        return url(new TrackingToken.Fields(TrackingToken.Kind.UNSUBSCRIBE, appId, messageId, endpointId, origin,
                Optional.empty()));
    }

    /**
     * The email content (as {@link OutboundMessage} documents it) with tracking applied for this message and
     * endpoint; {@code content} itself when tracking is off or the result would be too long.
     */
    public ObjectNode apply(ObjectNode content, String appId, String messageId, Origin origin, String endpointId) {
        if (base.isEmpty() || !rewrite) {
            return content;
        }
        ObjectNode tracked = content.deepCopy();
        JsonNode html = content.get("HtmlPart");
        if (html != null && html.isTextual()) {
            String rewritten = rewriteHtml(html.asText(), appId, messageId, origin, endpointId);
            long characters = rewritten.length() + content.path("Subject").asText("").length()
                    + content.path("TextPart").asText("").length();
            if (characters > SendRules.MAX_BODY_CHARACTERS) {
                return content;
            }
            tracked.put("HtmlPart", rewritten);
        }
        unsubscribeUrl(appId, messageId, origin, endpointId).ifPresent(url -> addUnsubscribeHeaders(tracked, url));
        return tracked;
    }

    /** The HTML with its web links rewritten (at most {@link #MAX_LINKS}) and the pixel added. */
    String rewriteHtml(String html, String appId, String messageId, Origin origin, String endpointId) {
        StringBuilder out = new StringBuilder(html.length() + 1024);
        String lower = html.toLowerCase(Locale.ROOT);
        int copied = 0;
        int links = 0;
        int from = 0;
        while (links < MAX_LINKS) {
            int start = nextAnchor(lower, from);
            if (start < 0) {
                break;
            }
            int end = lower.indexOf('>', start);
            if (end < 0) {
                break;
            }
            from = end + 1;
            if (end - start > MAX_TAG_CHARACTERS) {
                continue;
            }
            Matcher href = HREF.matcher(html).region(start, end);
            if (!href.find()) {
                continue;
            }
            int group = href.group(1) != null ? 1 : 2;
            String link = decodeEntities(href.group(group).trim());
            // Our own links ({{unsubscribeUrl}}) stay as they are: wrapping them in a click would only add a hop.
            if (!WEB_LINK.matcher(link).matches() || link.startsWith(base.get() + "/t/")) {
                continue;
            }
            Optional<String> url = url(new TrackingToken.Fields(TrackingToken.Kind.CLICK, appId, messageId,
                    endpointId, origin, Optional.of(link)));
            if (url.isEmpty()) {
                continue;
            }
            out.append(html, copied, href.start(group)).append(url.get());
            copied = href.end(group);
            links++;
        }
        out.append(html, copied, html.length());
        url(new TrackingToken.Fields(TrackingToken.Kind.OPEN, appId, messageId, endpointId, origin, Optional.empty()))
                .ifPresent(pixel -> {
                    String img = "<img src=\"" + pixel + "\" width=\"1\" height=\"1\" alt=\"\" style=\"border:0\">";
                    int body = out.toString().toLowerCase(Locale.ROOT).lastIndexOf("</body");
                    if (body >= 0) {
                        out.insert(body, img);
                    } else {
                        out.append(img);
                    }
                });
        return out.toString();
    }

    /** The next {@code <a} that opens an anchor tag (not {@code <abbr>}, {@code <area>}) at or after {@code from}. */
    private static int nextAnchor(String lower, int from) {
        int at = lower.indexOf("<a", from);
        while (at >= 0) {
            int next = at + 2;
            if (next < lower.length() && Character.isWhitespace(lower.charAt(next))) {
                return at;
            }
            at = lower.indexOf("<a", next);
        }
        return -1;
    }

    /** The URL an attribute value means: HTML writes {@code &} in a query as {@code &amp;}. */
    private static String decodeEntities(String value) {
        return value.replace("&amp;", "&").replace("&#38;", "&").replace("&#x26;", "&");
    }

    private Optional<String> url(TrackingToken.Fields fields) {
        return base.flatMap(root -> tokens.sign(fields).map(token -> root + "/t/" + fields.kind().letter() + "/"
                + token));
    }

    /** RFC 2369 and RFC 8058 headers, unless the email sets its own or has no room left for two more. */
    private static void addUnsubscribeHeaders(ObjectNode content, String url) {
        JsonNode existing = content.get("Headers");
        ArrayNode headers = existing instanceof ArrayNode array ? array : Json.MAPPER.createArrayNode();
        if (existing != null && !(existing instanceof ArrayNode) || headers.size() > SmtpTransport.MAX_HEADERS - 2
                || url.length() + 2 > SmtpTransport.MAX_HEADER_VALUE) {
            return;
        }
        for (JsonNode header : headers) {
            if (header.path("Name").asText("").toLowerCase(Locale.ROOT).startsWith("list-unsubscribe")) {
                return;
            }
        }
        headers.addObject().put("Name", "List-Unsubscribe").put("Value", "<" + url + ">");
        headers.addObject().put("Name", "List-Unsubscribe-Post").put("Value", "List-Unsubscribe=One-Click");
        content.set("Headers", headers);
    }
}
