package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.store.Store;
import dev.waymark.wire.Json;
import dev.waymark.wire.ShapeReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * UpdateEndpoint, UpdateEndpointsBatch, GetEndpoint, DeleteEndpoint, GetUserEndpoints, DeleteUserEndpoints and
 * RemoveAttributes.
 */
public final class EndpointsApi {
    /** Pinpoint's limit of items in one UpdateEndpointsBatch. */
    static final int MAX_BATCH_ITEMS = 100;
    private static final int ACCEPTED = 202;

    private final Store store;

    public EndpointsApi(Store store) {
        this.store = store;
    }

    public ApiResponse update(ApiRequest request) {
        String appId = app(request);
        String endpointId = request.label("EndpointId");
        EndpointRules.checkId(endpointId);
        store.endpoints().updateOne(appId, endpointId, object(Json.parseBody(request.body()), "EndpointRequest"));
        return accepted(request);
    }

    public ApiResponse updateBatch(ApiRequest request) {
        String appId = app(request);
        JsonNode body = object(Json.parseBody(request.body()), "EndpointBatchRequest");
        JsonNode item = body.get("Item");
        if (item == null || item.isNull()) {
            throw ApiException.badRequest("Item is required");
        }
        if (!item.isArray()) {
            throw ApiException.badRequest("Item must be an array of EndpointBatchItem");
        }
        if (item.size() > MAX_BATCH_ITEMS) {
            throw ApiException.badRequest("Item has " + item.size() + " endpoints; the limit is " + MAX_BATCH_ITEMS
                    + " items per UpdateEndpointsBatch request");
        }
        List<ObjectNode> items = new ArrayList<>(item.size());
        for (int i = 0; i < item.size(); i++) {
            if (!item.get(i).isObject()) {
                throw ApiException.badRequest("Item[" + i + "] must be an EndpointBatchItem object");
            }
            items.add((ObjectNode) item.get(i));
        }
        store.endpoints().update(appId, items);
        return accepted(request);
    }

    public ApiResponse get(ApiRequest request) {
        // An endpoint's row exists only while its app does, so the app is looked up only when the endpoint is missing.
        String appId = request.label("ApplicationId");
        String endpointId = request.label("EndpointId");
        Optional<byte[]> found = store.endpoints().findEncoded(appId, endpointId);
        if (found.isEmpty()) {
            throw endpointNotFound(app(request), endpointId);
        }
        return ApiResponse.okEncoded(found.get());
    }

    public ApiResponse delete(ApiRequest request) {
        String appId = app(request);
        String endpointId = request.label("EndpointId");
        return new ApiResponse(ACCEPTED, store.endpoints().delete(appId, endpointId)
                .orElseThrow(() -> endpointNotFound(appId, endpointId)));
    }

    public ApiResponse getUser(ApiRequest request) {
        String appId = app(request);
        String userId = request.label("UserId");
        return ApiResponse.ok(endpoints(store.endpoints().byUser(appId, userId), appId, userId));
    }

    public ApiResponse deleteUser(ApiRequest request) {
        String appId = app(request);
        String userId = request.label("UserId");
        return new ApiResponse(ACCEPTED, endpoints(store.endpoints().deleteUser(appId, userId), appId, userId));
    }

    public ApiResponse removeAttributes(ApiRequest request) {
        String appId = app(request);
        String attributeType = request.label("AttributeType");
        ObjectNode body = ShapeReader.read(Json.parseBody(request.body()), EndpointShapes.UPDATE_ATTRIBUTES);
        List<String> blacklist = new ArrayList<>();
        body.path("Blacklist").forEach(entry -> blacklist.add(entry.textValue()));
        List<String> removed = store.endpoints().removeAttributes(appId, attributeType, blacklist);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("ApplicationId", appId);
        response.put("AttributeType", attributeType);
        ArrayNode attributes = response.putArray("Attributes");
        removed.forEach(attributes::add);
        return ApiResponse.ok(response);
    }

    private String app(ApiRequest request) {
        return AppLookup.require(store.apps(), request.label("ApplicationId")).id();
    }

    private static ObjectNode object(JsonNode body, String shape) {
        if (!body.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object (" + shape + ")");
        }
        return (ObjectNode) body;
    }

    private static ApiResponse accepted(ApiRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Message", "Accepted");
        body.put("RequestID", request.requestId());
        return new ApiResponse(ACCEPTED, body);
    }

    private static ObjectNode endpoints(List<ObjectNode> found, String appId, String userId) {
        if (found.isEmpty()) {
            throw ApiException.notFound("User '" + userId + "' has no endpoints in application '" + appId + "'");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("Item").addAll(found);
        return body;
    }

    private static ApiException endpointNotFound(String appId, String endpointId) {
        return ApiException.notFound("Endpoint '" + endpointId + "' not found in application '" + appId + "'");
    }
}
