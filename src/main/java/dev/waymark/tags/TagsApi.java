package dev.waymark.tags;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.wire.Arns;
import dev.waymark.wire.Json;
import dev.waymark.wire.PinpointShapes;
import dev.waymark.wire.Responses;
import dev.waymark.wire.ShapeReader;
import java.util.List;
import java.util.Map;

/** TagResource, UntagResource, ListTagsForResource, for apps, journeys, segments and message templates. */
public final class TagsApi {
    private final TagStore tags;
    private final TaggedResources resources;
    private final Arns arns;

    public TagsApi(TagStore tags, TaggedResources resources, Arns arns) {
        this.tags = tags;
        this.resources = resources;
        this.arns = arns;
    }

    public ApiResponse tag(ApiRequest request) {
        Arns.Resource resource = arns.parse(request.label("ResourceArn"));
        resolve(request);
        ObjectNode body = ShapeReader.read(Json.parseBody(request.body()), PinpointShapes.TAGS_MODEL);
        Map<String, String> added = TagRules.check(Json.stringMap(body.get("tags")));
        // The store checks again, under the resource's row lock: it may have been deleted since resolve().
        TagStore.PutResult result = tags.put(resource, added, TagRules.MAX_TAGS);
        if (result == TagStore.PutResult.TOO_MANY) {
            throw TagRules.tooMany();
        }
        if (result == TagStore.PutResult.NO_SUCH_RESOURCE) {
            resolve(request);
            throw ApiException.notFound("The resource " + request.label("ResourceArn") + " no longer exists");
        }
        return ApiResponse.noContent();
    }

    public ApiResponse untag(ApiRequest request) {
        String resourceId = resolve(request);
        List<String> keys = request.queryValues("tagKeys");
        if (keys.isEmpty()) {
            throw ApiException.badRequest("tagKeys is required: name each tag key to remove as ?tagKeys=KEY");
        }
        tags.remove(resourceId, keys);
        return ApiResponse.noContent();
    }

    public ApiResponse list(ApiRequest request) {
        return ApiResponse.ok(new Responses.Tags(tags.get(resolve(request))));
    }

    /** The id of the app, journey or segment the ARN names; NotFoundException when it does not exist. */
    private String resolve(ApiRequest request) {
        return resources.resolve(arns.parse(request.label("ResourceArn")));
    }
}
