package dev.waymark.e2e;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.AttributeDimension;
import software.amazon.awssdk.services.pinpoint.model.ClosedDays;
import software.amazon.awssdk.services.pinpoint.model.ClosedDaysRule;
import software.amazon.awssdk.services.pinpoint.model.Condition;
import software.amazon.awssdk.services.pinpoint.model.ContactCenterActivity;
import software.amazon.awssdk.services.pinpoint.model.CustomMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.EmailMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.EventCondition;
import software.amazon.awssdk.services.pinpoint.model.EventDimensions;
import software.amazon.awssdk.services.pinpoint.model.GPSCoordinates;
import software.amazon.awssdk.services.pinpoint.model.GPSPointDimension;
import software.amazon.awssdk.services.pinpoint.model.HoldoutActivity;
import software.amazon.awssdk.services.pinpoint.model.JourneyChannelSettings;
import software.amazon.awssdk.services.pinpoint.model.JourneyLimits;
import software.amazon.awssdk.services.pinpoint.model.JourneySchedule;
import software.amazon.awssdk.services.pinpoint.model.JourneyTimeframeCap;
import software.amazon.awssdk.services.pinpoint.model.MetricDimension;
import software.amazon.awssdk.services.pinpoint.model.MultiConditionalBranch;
import software.amazon.awssdk.services.pinpoint.model.MultiConditionalSplitActivity;
import software.amazon.awssdk.services.pinpoint.model.OpenHours;
import software.amazon.awssdk.services.pinpoint.model.OpenHoursRule;
import software.amazon.awssdk.services.pinpoint.model.PushMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.QuietTime;
import software.amazon.awssdk.services.pinpoint.model.RandomSplitActivity;
import software.amazon.awssdk.services.pinpoint.model.RandomSplitEntry;
import software.amazon.awssdk.services.pinpoint.model.RecencyDimension;
import software.amazon.awssdk.services.pinpoint.model.SMSMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.SegmentBehaviors;
import software.amazon.awssdk.services.pinpoint.model.SegmentCondition;
import software.amazon.awssdk.services.pinpoint.model.SegmentDemographics;
import software.amazon.awssdk.services.pinpoint.model.SegmentDimensions;
import software.amazon.awssdk.services.pinpoint.model.SegmentLocation;
import software.amazon.awssdk.services.pinpoint.model.SetDimension;
import software.amazon.awssdk.services.pinpoint.model.SimpleCondition;
import software.amazon.awssdk.services.pinpoint.model.StartCondition;
import software.amazon.awssdk.services.pinpoint.model.WaitActivity;
import software.amazon.awssdk.services.pinpoint.model.WaitTime;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/** Journey definitions for the end-to-end tests, built with the SDK's own model types. */
final class SampleJourneys {
    private SampleJourneys() {}

    /** {@link #simple(String, String)} entered from a segment that does not exist: a draft that stays one. */
    static WriteJourneyRequest simple(String name) {
        return simple(name, "segment1");
    }

    /** A minimal publishable journey: one EMAIL activity entered from the segment {@code segmentId}. */
    static WriteJourneyRequest simple(String name, String segmentId) {
        return WriteJourneyRequest.builder()
                .name(name)
                .startActivity("send")
                .startCondition(StartCondition.builder()
                        .segmentStartCondition(SegmentCondition.builder().segmentId(segmentId).build()).build())
                .activities(Map.of("send", Activity.builder()
                        .email(EmailMessageActivity.builder().templateName("welcome").build()).build()))
                .build();
    }

    /** {@link #simple} whose only run starts a day from now, so that once published it stays ACTIVE meanwhile. */
    static WriteJourneyRequest startingTomorrow(String name) {
        return simple(name).toBuilder()
                .schedule(JourneySchedule.builder().startTime(Instant.now().plusSeconds(86_400)).build()).build();
    }

    /** Every member of WriteJourneyRequest, all ten activity kinds, conditions with segmentDimensions. */
    static WriteJourneyRequest everything(String name) {
        SetDimension ios = SetDimension.builder().dimensionType("INCLUSIVE").values("ios", "android").build();
        SegmentDimensions dimensions = SegmentDimensions.builder()
                .attributes(Map.of("plan", AttributeDimension.builder().attributeType("CONTAINS").values("pro").build()))
                .behavior(SegmentBehaviors.builder().recency(RecencyDimension.builder()
                        .duration("DAY_7").recencyType("ACTIVE").build()).build())
                .demographic(SegmentDemographics.builder().platform(ios).appVersion(ios).channel(ios)
                        .deviceType(ios).make(ios).model(ios).build())
                .location(SegmentLocation.builder()
                        .country(SetDimension.builder().dimensionType("EXCLUSIVE").values("FR").build())
                        .gpsPoint(GPSPointDimension.builder().rangeInKilometers(12.5)
                                .coordinates(GPSCoordinates.builder().latitude(48.85).longitude(2.35).build())
                                .build())
                        .build())
                .metrics(Map.of("score", MetricDimension.builder().comparisonOperator("GREATER_THAN").value(3.5).build()))
                .userAttributes(Map.of("tier", AttributeDimension.builder().attributeType("INCLUSIVE").values("gold").build()))
                .build();
        SimpleCondition segmentCondition = SimpleCondition.builder().segmentDimensions(dimensions).build();
        SimpleCondition eventCondition = SimpleCondition.builder().eventCondition(EventCondition.builder()
                .messageActivity("email1")
                .dimensions(EventDimensions.builder()
                        .eventType(SetDimension.builder().dimensionType("INCLUSIVE").values("purchase").build())
                        .metrics(Map.of("amount", MetricDimension.builder().comparisonOperator("EQUAL").value(10.0).build()))
                        .attributes(Map.of("sku", AttributeDimension.builder().values("a1").build()))
                        .build())
                .build()).build();
        WaitTime wait = WaitTime.builder().waitFor("PT1H").build();
        List<OpenHoursRule> nineToFive = List.of(OpenHoursRule.builder().startTime("09:00").endTime("17:00").build());
        List<ClosedDaysRule> holidays = List.of(ClosedDaysRule.builder().name("new-year")
                .startDateTime("2027-01-01T00:00").endDateTime("2027-01-02T00:00").build());
        return WriteJourneyRequest.builder()
                .name(name)
                .startActivity("email1")
                .activities(Map.of(
                        "email1", Activity.builder().description("first mail").email(EmailMessageActivity.builder()
                                .nextActivity("wait1").templateName("welcome").templateVersion("3")
                                .messageConfig(m -> m.fromAddress("team@example.com")).build()).build(),
                        "wait1", Activity.builder().waitValue(WaitActivity.builder().nextActivity("split1")
                                .waitTime(WaitTime.builder().waitUntil("2027-03-01T10:00:00Z").build()).build()).build(),
                        "split1", Activity.builder().conditionalSplit(c -> c
                                .condition(Condition.builder().operator("ANY")
                                        .conditions(segmentCondition, eventCondition).build())
                                .evaluationWaitTime(wait).trueActivity("multi1").falseActivity("random1")).build(),
                        "multi1", Activity.builder().multiCondition(MultiConditionalSplitActivity.builder()
                                .branches(MultiConditionalBranch.builder().condition(segmentCondition).nextActivity("sms1").build(),
                                        MultiConditionalBranch.builder().condition(SimpleCondition.builder()
                                                .segmentCondition(s -> s.segmentId("seg2")).build()).nextActivity("push1").build())
                                .defaultActivity("custom1").evaluationWaitTime(wait).build()).build(),
                        "random1", Activity.builder().randomSplit(RandomSplitActivity.builder().branches(
                                RandomSplitEntry.builder().percentage(60).nextActivity("holdout1").build(),
                                RandomSplitEntry.builder().percentage(40).nextActivity("connect1").build()).build()).build(),
                        "sms1", Activity.builder().sms(SMSMessageActivity.builder().templateName("sms")
                                .messageConfig(m -> m.messageType("PROMOTIONAL").originationNumber("+15550100")
                                        .senderId("WAYMARK").entityId("e1").templateId("t1")).build()).build(),
                        "push1", Activity.builder().push(PushMessageActivity.builder().templateName("push")
                                .messageConfig(m -> m.timeToLive("3600")).build()).build(),
                        "custom1", Activity.builder().custom(CustomMessageActivity.builder()
                                .deliveryUri("https://hooks.example.com/journey").endpointTypesWithStrings("EMAIL", "CUSTOM")
                                .messageConfig(m -> m.data("{\"a\":1}")).templateName("custom").build()).build(),
                        "holdout1", Activity.builder().holdout(HoldoutActivity.builder().percentage(10)
                                .nextActivity("connect1").build()).build(),
                        "connect1", Activity.builder().contactCenter(ContactCenterActivity.builder().build()).build()))
                .startCondition(StartCondition.builder().description("segment entry")
                        .segmentStartCondition(SegmentCondition.builder().segmentId("segment1").build()).build())
                .schedule(JourneySchedule.builder().startTime(Instant.parse("2027-01-01T10:00:00Z"))
                        .endTime(Instant.parse("2027-06-01T10:00:00.250Z")).timezone("UTC+01").build())
                .refreshFrequency("PT12H")
                .limits(JourneyLimits.builder().dailyCap(3).endpointReentryCap(2).messagesPerSecond(50)
                        .endpointReentryInterval("PT6H").totalCap(20)
                        .timeframeCap(JourneyTimeframeCap.builder().cap(5).days(7).build()).build())
                .quietTime(QuietTime.builder().start("22:00").end("07:30").build())
                .localTime(true)
                .waitForQuietTime(true)
                .refreshOnSegmentUpdate(true)
                .sendingSchedule(true)
                .openHours(OpenHours.builder().emailWithStrings(Map.of("MONDAY", nineToFive))
                        .smsWithStrings(Map.of("FRIDAY", nineToFive)).pushWithStrings(Map.of("SUNDAY", nineToFive))
                        .voiceWithStrings(Map.of("TUESDAY", nineToFive)).customWithStrings(Map.of("SATURDAY", nineToFive))
                        .build())
                .closedDays(ClosedDays.builder().email(holidays).sms(holidays).push(holidays).voice(holidays)
                        .custom(holidays).build())
                .journeyChannelSettings(JourneyChannelSettings.builder()
                        .connectCampaignArn("arn:aws:connect:us-east-1:000000000000:instance/i/campaign/c")
                        .connectCampaignExecutionRoleArn("arn:aws:iam::000000000000:role/connect").build())
                .timezoneEstimationMethodsWithStrings("PHONE_NUMBER", "POSTAL_CODE")
                .state("DRAFT")
                .build();
    }
}
