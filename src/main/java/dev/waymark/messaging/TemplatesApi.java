package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.http.BudgetedPage;
import dev.waymark.http.Operation;
import dev.waymark.http.Paging;
import dev.waymark.rules.RuleViolation;
import dev.waymark.tags.TagRules;
import dev.waymark.tags.TagStore;
import dev.waymark.wire.Arns;
import dev.waymark.wire.Json;
import dev.waymark.wire.PinpointShapes;
import dev.waymark.wire.ShapeReader;
import dev.waymark.wire.WireTime;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Create, Get, Update and Delete of the five template types, ListTemplates, ListTemplateVersions and
 * UpdateTemplateActiveVersion. Templates belong to the account, not to an app.
 */
public final class TemplatesApi {
    /** The largest template request body read: an email's 600,000 characters, with room for JSON escapes. */
    public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
    private static final int ACCEPTED = 202;
    private static final String LISTING = "templates";
    private static final String VERSIONS = "template-versions";

    private final SqlTemplateStore templates;
    private final TagStore tags;
    private final TemplateRules rules;
    private final Arns arns;
    private final Paging paging;
    private final Clock clock;

    public TemplatesApi(SqlTemplateStore templates, TagStore tags, Arns arns, Paging paging, Clock clock) {
        this.templates = templates;
        this.tags = tags;
        this.rules = new TemplateRules(new TemplateSyntax());
        this.arns = arns;
        this.paging = paging;
        this.clock = clock;
    }

    /** Create*Template: 201 with the new template's ARN. */
    public Operation create(TemplateType type) {
        return request -> {
            String name = TemplateRules.checkName(request.label("TemplateName"));
            ObjectNode body = read(type, request);
            Map<String, String> added = body.has("tags") ? TagRules.check(Json.stringMap(body.get("tags"))) : Map.of();
            Instant now = now();
            if (!templates.create(new StoredTemplate(type, name, 1, definition(body), now, now), added)) {
                throw new RuleViolation("Template '" + name + "' of type " + type.name() + " already exists; "
                        + "update it (Update" + type.operationName() + "Template) or delete it first");
            }
            ObjectNode response = Json.MAPPER.createObjectNode();
            response.put("Arn", arns.template(name, type.name()));
            response.put("Message", "Created");
            response.put("RequestID", request.requestId());
            return ApiResponse.created(response);
        };
    }

    /** Get*Template: the version {@code ?version=} names, else the active version. */
    public Operation get(TemplateType type) {
        return request -> {
            String name = request.label("TemplateName");
            Optional<Integer> version = versionQuery(request);
            StoredTemplate template = templates.find(type, name, version)
                    .orElseThrow(() -> notFound(type, name, version));
            return ApiResponse.ok(response(template, tagsOf(template.type(), template.name())));
        };
    }

    /** Update*Template: a new version with create-new-version=true, else the latest version replaced. */
    public Operation update(TemplateType type) {
        return request -> {
            String name = request.label("TemplateName");
            boolean newVersion = booleanQuery(request, "create-new-version");
            Optional<Integer> version = versionQuery(request);
            if (newVersion && version.isPresent()) {
                throw new RuleViolation("Give either create-new-version=true or version, not both: a new version "
                        + "gets the next number");
            }
            ObjectNode body = read(type, request);
            // Tags in an update are ignored, as for segments: TagResource changes them.
            templates.update(type, name, definition(body), newVersion, version, now())
                    .orElseThrow(() -> notFound(type, name, Optional.empty()));
            return new ApiResponse(ACCEPTED, message(request, "Accepted"));
        };
    }

    /** Delete*Template: the version {@code ?version=} names, else the whole template. */
    public Operation delete(TemplateType type) {
        return request -> {
            String name = request.label("TemplateName");
            Optional<Integer> version = versionQuery(request);
            SqlTemplateStore.Deleted deleted = templates.delete(type, name, version);
            if (deleted == SqlTemplateStore.Deleted.NO_TEMPLATE) {
                throw notFound(type, name, Optional.empty());
            }
            if (deleted == SqlTemplateStore.Deleted.NO_VERSION) {
                throw notFound(type, name, version);
            }
            return new ApiResponse(ACCEPTED, message(request, "Accepted"));
        };
    }

    /** ListTemplates: the account's templates at their active versions, by name then type. */
    public ApiResponse list(ApiRequest request) {
        Optional<String> prefix = request.queryValue("prefix").filter(value -> !value.isEmpty());
        Optional<TemplateType> type = request.queryValue("template-type").filter(value -> !value.isEmpty())
                .map(value -> TemplateType.named(value).orElseThrow(() -> ApiException.badRequest(
                        "template-type must be one of EMAIL, SMS, PUSH, VOICE, INAPP, not '" + value + "'")));
        // A token is only good for the filters it was issued with; the prefix is hex-encoded, as a token's fields are
        // separated by '|', which a prefix may hold.
        String scope = type.map(Enum::name).orElse("") + "."
                + java.util.HexFormat.of().formatHex(prefix.orElse("").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return ApiResponse.okEncoded(BudgetedPage.write(
                (after, limit) -> templates.list(prefix, type, after, limit),
                paging.after(withToken(request), LISTING, scope), Paging.pageSize(request),
                BudgetedPage.listing(this::listItem, next -> paging.nextToken(Optional.of(next), LISTING, scope))));
    }

    /** ListTemplateVersions: one template's versions, oldest first. */
    public ApiResponse listVersions(ApiRequest request) {
        TemplateType type = pathType(request);
        String name = request.label("TemplateName");
        if (!templates.exists(type, name)) {
            throw notFound(type, name, Optional.empty());
        }
        String scope = type.name() + "/" + name;
        return ApiResponse.okEncoded(BudgetedPage.write(
                (after, limit) -> templates.versions(type, name, after, limit),
                paging.after(withToken(request), VERSIONS, scope), Paging.pageSize(request),
                BudgetedPage.listing(this::versionItem,
                        next -> paging.nextToken(Optional.of(next), VERSIONS, scope))));
    }

    /** UpdateTemplateActiveVersion: a version number or "latest". */
    public ApiResponse activate(ApiRequest request) {
        TemplateType type = pathType(request);
        String name = request.label("TemplateName");
        ObjectNode body = ShapeReader.read(Json.parseBody(request.body()), PinpointShapes.TEMPLATE_ACTIVE_VERSION_REQUEST);
        String value = body.path("Version").asText("");
        Optional<Integer> version = "latest".equals(value) ? Optional.empty()
                : Optional.of(parseVersion("Version", value));
        if (!templates.activate(type, name, version)) {
            throw notFound(type, name, version);
        }
        return ApiResponse.ok(message(request, "Accepted"));
    }

    /** NotFoundException for a template, or for a version of one. */
    public static ApiException notFound(TemplateType type, String name, Optional<Integer> version) {
        return ApiException.notFound(version.map(number -> "Version " + number + " of template '" + name
                + "' of type " + type.name() + " not found").orElse("Template '" + name + "' of type "
                + type.name() + " not found"));
    }

    private ObjectNode read(TemplateType type, ApiRequest request) {
        ObjectNode body = ShapeReader.read(Json.parseBody(request.body()), type.request());
        rules.check(type, body);
        return body;
    }

    private static ObjectNode definition(ObjectNode body) {
        ObjectNode definition = body.deepCopy();
        definition.remove("tags");
        return definition;
    }

    private Map<String, String> tagsOf(TemplateType type, String name) {
        return tags.get(Arns.templateTagId(type.name(), name));
    }

    /** EmailTemplateResponse and its siblings: the stored request plus what the server owns. */
    private ObjectNode response(StoredTemplate template, Map<String, String> tagged) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("Arn", arns.template(template.name(), template.type().name()));
        response.put("CreationDate", WireTime.format(template.created()));
        response.put("LastModifiedDate", WireTime.format(template.modified()));
        for (Map.Entry<String, JsonNode> member : template.definition().properties()) {
            response.set(member.getKey(), member.getValue());
        }
        response.put("TemplateName", template.name());
        response.put("TemplateType", template.type().name());
        response.put("Version", String.valueOf(template.version()));
        if (!tagged.isEmpty()) {
            response.set("tags", Json.MAPPER.valueToTree(tagged));
        }
        return response;
    }

    /** A TemplateResponse of ListTemplates: without Arn, DefaultSubstitutions and TemplateDescription, as Pinpoint. */
    private Object listItem(StoredTemplate template) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("CreationDate", WireTime.format(template.created()));
        item.put("LastModifiedDate", WireTime.format(template.modified()));
        Map<String, String> tagged = tagsOf(template.type(), template.name());
        if (!tagged.isEmpty()) {
            item.set("tags", Json.MAPPER.valueToTree(tagged));
        }
        item.put("TemplateName", template.name());
        item.put("TemplateType", template.type().name());
        item.put("Version", String.valueOf(template.version()));
        return item;
    }

    private Object versionItem(StoredTemplate template) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("CreationDate", WireTime.format(template.created()));
        for (String member : List.of("DefaultSubstitutions", "TemplateDescription")) {
            JsonNode value = template.definition().get(member);
            if (value != null) {
                item.set(member, value);
            }
        }
        item.put("LastModifiedDate", WireTime.format(template.modified()));
        item.put("TemplateName", template.name());
        item.put("TemplateType", template.type().name());
        item.put("Version", String.valueOf(template.version()));
        return item;
    }

    private static ObjectNode message(ApiRequest request, String text) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("Message", text);
        body.put("RequestID", request.requestId());
        return body;
    }

    private static TemplateType pathType(ApiRequest request) {
        String value = request.label("TemplateType");
        return TemplateType.named(value).orElseThrow(() -> ApiException.badRequest(
                "TemplateType must be one of EMAIL, SMS, PUSH, VOICE, INAPP (upper case), not '" + value + "'"));
    }

    private static Optional<Integer> versionQuery(ApiRequest request) {
        return request.queryValue("version").filter(value -> !value.isEmpty())
                .map(value -> parseVersion("version", value));
    }

    private static int parseVersion(String member, String value) {
        if (!value.matches("[0-9]{1,9}") || Integer.parseInt(value) < 1) {
            throw ApiException.badRequest(member + " must be a version number (1, 2, …)"
                    + (member.equals("Version") ? " or \"latest\"" : "") + ", not '" + value + "'");
        }
        return Integer.parseInt(value);
    }

    private static boolean booleanQuery(ApiRequest request, String key) {
        Optional<String> value = request.queryValue(key);
        if (value.isEmpty() || value.get().equals("false")) {
            return false;
        }
        if (value.get().equals("true")) {
            return true;
        }
        throw ApiException.badRequest(key + " must be true or false, not '" + value.get() + "'");
    }

    /** The request with ListTemplates' {@code next-token} where Paging reads a token. */
    private static ApiRequest withToken(ApiRequest request) {
        Map<String, List<String>> query = new HashMap<>(request.query());
        List<String> token = query.remove("next-token");
        if (token != null) {
            query.put("token", token);
        }
        return new ApiRequest(request.requestId(), request.operationName(), request.labels(), query, request.body(),
                request.caller());
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }
}
