package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One version of a message template: the request as accepted (tags aside) and when it was made and changed. */
public record StoredTemplate(TemplateType type, String name, int version, ObjectNode definition, Instant created,
                             Instant modified) {}
