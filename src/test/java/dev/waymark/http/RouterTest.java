package dev.waymark.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Operation ok = request -> ApiResponse.ok(null);
    private final Router router = Router.withPinpointCatalogue()
            .implement("GetJourneyRuns", Route.NO_BODY, ok)
            .implement("GetApp", Route.NO_BODY, ok)
            .implement("ListTagsForResource", Route.NO_BODY, ok);

    @Test
    void bindsLabelsAfterDecodingEachSegment() {
        RouteMatch match = router.resolve("GET",
                RoutingStep.decodeSegments("/v1/apps/app%201%2Fx/journeys/j+1/runs"));
        assertThat(match.route().operationName()).isEqualTo("GetJourneyRuns");
        assertThat(match.labels()).containsEntry("ApplicationId", "app 1/x").containsEntry("JourneyId", "j+1");

        RouteMatch tags = router.resolve("GET", RoutingStep.decodeSegments(
                "/v1/tags/arn%3Aaws%3Amobiletargeting%3Aus-east-1%3A000000000000%3Aapps%2Fabc"));
        assertThat(tags.labels()).containsEntry("ResourceArn", "arn:aws:mobiletargeting:us-east-1:000000000000:apps/abc");
    }

    @Test
    void namesOperationsThatAreNotImplemented() {
        assertThatThrownBy(() -> router.resolve("PUT", List.of("v1", "apps", "a", "channels", "email")))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("UpdateEmailChannel is a Pinpoint operation that Waymark does not implement yet")
                .extracting(e -> ((ApiException) e).type()).isEqualTo(ErrorType.BAD_REQUEST);
        // The literal 'email' segment is more specific than the {TemplateType} label.
        assertThatThrownBy(() -> router.resolve("GET", List.of("v1", "templates", "t", "email")))
                .hasMessageContaining("GetEmailTemplate");
    }

    @Test
    void knownPathWithAnotherMethodIsMethodNotAllowed() {
        assertThatThrownBy(() -> router.resolve("POST", List.of("v1", "apps", "a", "journeys", "j", "runs")))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("allowed: GET")
                .extracting(e -> ((ApiException) e).type()).isEqualTo(ErrorType.METHOD_NOT_ALLOWED);
    }

    @Test
    void unknownPathsAndEmptyLabelsAreNotFound() {
        for (List<String> path : List.of(List.of("v1", "nothing"), List.of("v1", "apps", ""), List.of("v1", "apps", "a", "x"))) {
            assertThatThrownBy(() -> router.resolve("GET", path))
                    .isInstanceOf(ApiException.class)
                    .extracting(e -> ((ApiException) e).type()).isEqualTo(ErrorType.NOT_FOUND);
        }
    }

    @Test
    void badPercentEncodingIsABadRequest() {
        assertThatThrownBy(() -> RoutingStep.decodeSegments("/v1/apps/%zz"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("not valid percent-encoding");
    }

    @Test
    void implementingAnUnknownOperationFails() {
        assertThatThrownBy(() -> Router.withPinpointCatalogue().implement("GetWidgets", Route.NO_BODY, ok))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
