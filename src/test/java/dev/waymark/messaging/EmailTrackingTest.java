package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The token's signature and the HTML rewriting: what is rewritten, what is left alone, and the bounds. */
class EmailTrackingTest {
    private static final String BASE = "https://t.example.com";
    private final TrackingToken tokens = new TrackingToken("0123456789abcdef0123456789abcdef".getBytes());
    private final EmailTracking tracking = new EmailTracking(Optional.of(URI.create(BASE + "/")), true, tokens);
    private final Origin journey = Origin.journey("j1", "r1", "a1");

    @Test
    void aTokenCarriesItsFieldsAndOnlyOurKeySignsIt() {
        String token = tokens.sign(new TrackingToken.Fields(TrackingToken.Kind.CLICK, "app", "m1", "ada", journey,
                Optional.of("https://example.com/é"))).orElseThrow();
        assertThat(token).matches("[A-Za-z0-9_-]+");
        TrackingToken.Fields fields = tokens.verify(token, TrackingToken.Kind.CLICK).orElseThrow();
        assertThat(fields.appId()).isEqualTo("app");
        assertThat(fields.messageId()).isEqualTo("m1");
        assertThat(fields.endpointId()).isEqualTo("ada");
        assertThat(fields.origin().journeyId()).contains("j1");
        assertThat(fields.origin().runId()).contains("r1");
        assertThat(fields.origin().activityId()).contains("a1");
        assertThat(fields.link()).contains("https://example.com/é");

        assertThat(tokens.verify(token, TrackingToken.Kind.OPEN)).isEmpty();
        assertThat(new TrackingToken("another-key-of-32-bytes-00000000".getBytes()).verify(token,
                TrackingToken.Kind.CLICK)).isEmpty();
        for (int i = 0; i < token.length(); i += 7) {
            char changed = token.charAt(i) == 'A' ? 'B' : 'A';
            assertThat(tokens.verify(token.substring(0, i) + changed + token.substring(i + 1),
                    TrackingToken.Kind.CLICK)).as("changed at %d", i).isEmpty();
        }
        assertThat(tokens.verify("A".repeat(TrackingToken.MAX_CHARACTERS + 1), TrackingToken.Kind.CLICK)).isEmpty();
        assertThat(tokens.verify("not base64!", TrackingToken.Kind.CLICK)).isEmpty();
        assertThat(tokens.verify("", TrackingToken.Kind.CLICK)).isEmpty();
    }

    @Test
    void aLinkTooLongForATokenIsNotSigned() {
        assertThat(tokens.sign(new TrackingToken.Fields(TrackingToken.Kind.CLICK, "app", "m1", "ada", journey,
                Optional.of("https://example.com/" + "x".repeat(2000))))).isEmpty();
    }

    @Test
    void onlyWebLinksOfAnchorsAreRewrittenAndThePixelGoesBeforeTheBody() {
        String html = "<html><body><abbr href=\"https://example.com/abbr\">x</abbr>"
                + "<a data-href=\"https://example.com/data\" href=\"https://example.com/a\">a</a>"
                + "<a href=\"javascript:alert(1)\">j</a><a href=\"data:text/html,hi\">d</a>"
                + "<a href=\"mailto:x@example.com\">m</a><a href=\"/relative\">r</a>"
                + "<a\nhref = 'HTTP://Example.com/B'>b</a><a href=\"" + BASE + "/t/u/abc\">u</a>"
                + "<img src=\"https://example.com/logo.png\"></BODY></html>";
        String rewritten = tracking.rewriteHtml(html, "app", "m1", Origin.direct(Optional.empty()), "ada");
        assertThat(rewritten).contains("<abbr href=\"https://example.com/abbr\">")
                .contains("data-href=\"https://example.com/data\"").doesNotContain("\"https://example.com/a\"")
                .contains("href=\"javascript:alert(1)\"").contains("href=\"data:text/html,hi\"")
                .contains("href=\"mailto:x@example.com\"").contains("href=\"/relative\"")
                .doesNotContain("HTTP://Example.com/B").contains("href=\"" + BASE + "/t/u/abc\"")
                .contains("<img src=\"https://example.com/logo.png\">");
        assertThat(Pattern.compile(Pattern.quote(BASE) + "/t/c/").matcher(rewritten).results().count()).isEqualTo(2);
        assertThat(rewritten).matches("(?s).*<img src=\"" + Pattern.quote(BASE)
                + "/t/o/[A-Za-z0-9_-]+\" width=\"1\" height=\"1\" alt=\"\"[^>]*></BODY></html>");
    }

    @Test
    void atMostAHundredLinksAreRewritten() {
        String html = "<a href=\"https://example.com/x\">x</a>".repeat(150);
        String rewritten = tracking.rewriteHtml(html, "app", "m1", Origin.direct(Optional.empty()), "ada");
        assertThat(Pattern.compile("/t/c/").matcher(rewritten).results().count()).isEqualTo(EmailTracking.MAX_LINKS);
        assertThat(Pattern.compile("\"https://example.com/x\"").matcher(rewritten).results().count()).isEqualTo(50);
    }

    @Test
    void anEmailThatWouldOutgrowTheLimitIsLeftUntracked() {
        String links = "<a href=\"https://example.com/x\">x</a>".repeat(100);
        ObjectNode content = Json.MAPPER.createObjectNode().put("Subject", "s")
                .put("HtmlPart", links + "y".repeat(SendRules.MAX_BODY_CHARACTERS - links.length() - 10));
        assertThat(tracking.apply(content, "app", "m1", Origin.direct(Optional.empty()), "ada")).isSameAs(content);
    }

    @Test
    void theTextPartIsNeverTouchedAndUnsubscribeHeadersAreAdded() {
        ObjectNode content = Json.MAPPER.createObjectNode().put("Subject", "s")
                .put("TextPart", "https://example.com/text").put("HtmlPart", "<a href=\"https://example.com\">x</a>");
        ObjectNode tracked = tracking.apply(content, "app", "m1", journey, "ada");
        assertThat(tracked.path("TextPart").asText()).isEqualTo("https://example.com/text");
        assertThat(tracked.path("Headers").toString()).contains("List-Unsubscribe").contains("One-Click");
        assertThat(content.has("Headers")).isFalse();
    }

    @Test
    void offLeavesEmailsAsTheyAre() {
        ObjectNode content = Json.MAPPER.createObjectNode().put("HtmlPart", "<a href=\"https://example.com\">x</a>");
        assertThat(EmailTracking.off().apply(content, "app", "m1", journey, "ada")).isSameAs(content);
        assertThat(new EmailTracking(Optional.of(URI.create(BASE)), false, tokens)
                .apply(content, "app", "m1", journey, "ada")).isSameAs(content);
        assertThat(EmailTracking.allowedByTags(Map.of("waymark:tracking", "OFF"))).isFalse();
        assertThat(EmailTracking.allowedByTags(Map.of("waymark:tracking", "on"))).isTrue();
        assertThat(EmailTracking.allowedByTags(Map.of())).isTrue();
    }
}
