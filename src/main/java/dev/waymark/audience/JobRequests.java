package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * ImportJobRequest and ExportJobRequest: each member of the type the model gives it, the required ones present, the
 * location one this server may read or write. Returns the Definition the job echoes (ImportJobResource,
 * ExportJobResource).
 */
final class JobRequests {
    /** The longest RoleArn, ExternalId, SegmentId or SegmentName kept (IAM ARNs are at most 2048 characters). */
    static final int MAX_TEXT_CHARS = 2048;

    private enum Type { STRING, BOOLEAN, INTEGER }

    private static final Map<String, Type> IMPORT_MEMBERS = new TreeMap<>(Map.of("DefineSegment", Type.BOOLEAN,
            "ExternalId", Type.STRING, "Format", Type.STRING, "RegisterEndpoints", Type.BOOLEAN,
            "RoleArn", Type.STRING, "S3Url", Type.STRING, "SegmentId", Type.STRING, "SegmentName", Type.STRING));
    private static final Map<String, Type> EXPORT_MEMBERS = new TreeMap<>(Map.of("RoleArn", Type.STRING,
            "S3UrlPrefix", Type.STRING, "SegmentId", Type.STRING, "SegmentVersion", Type.INTEGER));

    private final JobSettings settings;

    JobRequests(JobSettings settings) {
        this.settings = settings;
    }

    /** The Definition of an import job; RoleArn is required but any value is accepted (Waymark assumes no role). */
    ObjectNode importDefinition(JsonNode body) {
        ObjectNode definition = members(body, "ImportJobRequest", IMPORT_MEMBERS, "Format", "RoleArn", "S3Url");
        String format = definition.get("Format").textValue();
        if (!format.equals("CSV") && !format.equals("JSON")) {
            throw new RuleViolation("ImportJobRequest.Format must be CSV or JSON, not '" + shortText(format) + "'");
        }
        JobLocation.parse("ImportJobRequest.S3Url", definition.get("S3Url").textValue(), settings.importDir(),
                "--import-dir", true);
        return definition;
    }

    /** The Definition of an export job. */
    ObjectNode exportDefinition(JsonNode body) {
        ObjectNode definition = members(body, "ExportJobRequest", EXPORT_MEMBERS, "RoleArn", "S3UrlPrefix");
        JobLocation.parse("ExportJobRequest.S3UrlPrefix", definition.get("S3UrlPrefix").textValue(),
                settings.exportDir(), "--export-dir", true);
        return definition;
    }

    private static ObjectNode members(JsonNode body, String shape, Map<String, Type> types, String... required) {
        if (!body.isObject()) {
            throw new RuleViolation("The request body must be a JSON object (" + shape + ")");
        }
        ObjectNode definition = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, Type> member : types.entrySet()) {
            JsonNode value = body.get(member.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            String path = shape + "." + member.getKey();
            switch (member.getValue()) {
                case STRING -> {
                    if (!value.isTextual()) {
                        throw new RuleViolation(path + " must be a string");
                    }
                    if (value.textValue().length() > MAX_TEXT_CHARS) {
                        throw new RuleViolation(path + " is longer than " + MAX_TEXT_CHARS + " characters");
                    }
                }
                case BOOLEAN -> {
                    if (!value.isBoolean()) {
                        throw new RuleViolation(path + " must be true or false");
                    }
                }
                case INTEGER -> {
                    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
                        throw new RuleViolation(path + " must be an integer");
                    }
                }
            }
            definition.set(member.getKey(), value);
        }
        for (String name : required) {
            if (!definition.has(name)) {
                throw new RuleViolation(shape + "." + name + " is required");
            }
        }
        return definition;
    }

    private static String shortText(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
