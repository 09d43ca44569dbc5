package dev.waymark.e2e;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the parts of an email a test's SMTP server received, and the tracking URLs in its HTML. */
final class MimeParts {
    /** A tracking URL of a test server on 127.0.0.1: open (o), click (c) or unsubscribe (u). */
    private static final Pattern TRACKED = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/t/([ocu])/[A-Za-z0-9_-]+");

    private MimeParts() {}

    /** The tracking URLs of one kind (o, c or u) in an email's HTML, in order; none found: empty. */
    static List<String> tracked(String html, String kind) {
        List<String> urls = new ArrayList<>();
        Matcher matcher = TRACKED.matcher(html);
        while (matcher.find()) {
            if (matcher.group(1).equals(kind)) {
                urls.add(matcher.group());
            }
        }
        return urls;
    }

    /** The first part of {@code type} in a message, at any depth of its multiparts; null when it has none. */
    static String part(Part message, String type) throws Exception {
        if (message.isMimeType(type)) {
            return message.getContent().toString();
        }
        if (message.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                String found = part(body, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
