package dev.waymark.e2e;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

/** Reading the parts of an email a test's SMTP server received. */
final class MimeParts {
    private MimeParts() {}

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
