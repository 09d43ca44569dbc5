package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.engine.JourneyPlan.ClosedDay;
import dev.waymark.engine.JourneyPlan.MessageKind;
import dev.waymark.engine.JourneyPlan.OpenWindow;
import dev.waymark.engine.JourneyPlanReader.UnreadablePlanException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class JourneyPlanReaderTest {
    /** Every activity shape of the wire contract, with every member set. */
    private static final String EVERY_ACTIVITY = """
            {'Name':'j','StartActivity':'email',
             'Activities':{
              'email':{'EMAIL':{'MessageConfig':{'FromAddress':'a@b.c'},'TemplateName':'welcome','TemplateVersion':'3',
                       'NextActivity':'sms'}},
              'sms':{'SMS':{'MessageConfig':{'MessageType':'TRANSACTIONAL','OriginationNumber':'+15550100'},
                     'TemplateName':'t','NextActivity':'push'}},
              'push':{'PUSH':{'MessageConfig':{'TimeToLive':'60'},'TemplateName':'p','TemplateVersion':2,
                      'NextActivity':'custom'}},
              'custom':{'CUSTOM':{'DeliveryUri':'https://hook.example/x','EndpointTypes':['CUSTOM','EMAIL'],
                        'MessageConfig':{'Data':'d'},'TemplateName':'c','NextActivity':'custom2'}},
              'custom2':{'CUSTOM':{'DeliveryUri':'fn','NextActivity':'wait'}},
              'wait':{'Wait':{'WaitTime':{'WaitFor':'PT1H'},'NextActivity':'until'}},
              'until':{'Wait':{'WaitTime':{'WaitUntil':'2026-12-01T09:00:00+01:00'},'NextActivity':'hold'}},
              'hold':{'Holdout':{'Percentage':10,'NextActivity':'random'}},
              'random':{'RandomSplit':{'Branches':[{'Percentage':60,'NextActivity':'cond'},{'Percentage':40}]}},
              'cond':{'ConditionalSplit':{'Condition':{'Operator':'ANY','Conditions':[
                        {'EventCondition':{'Dimensions':{'EventType':{'Values':['_email.open']}},
                                           'MessageActivity':'email'}},
                        {'SegmentCondition':{'SegmentId':'seg-2'}},
                        {'segmentDimensions':{'Location':{'Country':{'Values':['FR']}}}}]},
                      'EvaluationWaitTime':{'WaitFor':'P1D'},'TrueActivity':'multi','FalseActivity':'contact'}},
              'multi':{'MultiCondition':{'Branches':[
                        {'Condition':{'SegmentCondition':{'SegmentId':'seg-3'}},'NextActivity':'contact'},
                        {'Condition':{'EventCondition':{'Dimensions':{}}}}],
                      'DefaultActivity':'draft','EvaluationWaitTime':{'WaitUntil':'2026-12-02T00:00:00Z'}}},
              'contact':{'ContactCenter':{'NextActivity':'draft'}},
              'draft':{'Description':'placeholder'}
             }}""";

    private static JourneyPlan read(String json) {
        return JourneyPlanReader.read("app-1", "journey-1", 7, json.replace('\'', '"'));
    }

    private static void unreadable(String json, String member) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(UnreadablePlanException.class)
                .hasMessageContaining("journey-1").hasMessageContaining(member);
    }

    @Test
    void readsEveryActivityShape() {
        JourneyPlan plan = read(EVERY_ACTIVITY);
        assertThat(plan.appId()).isEqualTo("app-1");
        assertThat(plan.journeyId()).isEqualTo("journey-1");
        assertThat(plan.version()).isEqualTo(7);
        assertThat(plan.startActivity()).contains("email");
        assertThat(plan.activities().keySet()).containsExactly("email", "sms", "push", "custom", "custom2", "wait",
                "until", "hold", "random", "cond", "multi", "contact", "draft");

        JourneyPlan.Message email = (JourneyPlan.Message) plan.activity("email").orElseThrow();
        assertThat(email.kind()).isEqualTo(MessageKind.EMAIL);
        assertThat(email.templateName()).contains("welcome");
        assertThat(email.templateVersion()).contains("3");
        assertThat(email.messageConfig().get("FromAddress").asText()).isEqualTo("a@b.c");
        assertThat(email.next()).contains("sms");
        assertThat(email.endpointTypes()).isEmpty();

        JourneyPlan.Message sms = (JourneyPlan.Message) plan.activity("sms").orElseThrow();
        assertThat(sms.kind()).isEqualTo(MessageKind.SMS);
        assertThat(sms.templateVersion()).isEmpty();
        assertThat(sms.messageConfig().get("OriginationNumber").asText()).isEqualTo("+15550100");

        JourneyPlan.Message push = (JourneyPlan.Message) plan.activity("push").orElseThrow();
        assertThat(push.kind()).isEqualTo(MessageKind.PUSH);
        assertThat(push.templateVersion()).as("a number read as text").contains("2");

        JourneyPlan.Message custom = (JourneyPlan.Message) plan.activity("custom").orElseThrow();
        assertThat(custom.kind()).isEqualTo(MessageKind.CUSTOM);
        assertThat(custom.deliveryUri()).contains("https://hook.example/x");
        assertThat(custom.endpointTypes()).containsExactly("CUSTOM", "EMAIL");
        assertThat(custom.messageConfig().get("Data").asText()).isEqualTo("d");
        JourneyPlan.Message custom2 = (JourneyPlan.Message) plan.activity("custom2").orElseThrow();
        assertThat(custom2.endpointTypes()).as("Pinpoint's default").containsExactly("CUSTOM");
        assertThat(custom2.messageConfig()).isEmpty();
        assertThat(custom2.templateName()).isEmpty();

        assertThat(plan.activity("wait")).contains(new JourneyPlan.Wait("wait", Optional.of(Duration.ofHours(1)),
                Optional.empty(), Optional.of("until")));
        assertThat(plan.activity("until")).contains(new JourneyPlan.Wait("until", Optional.empty(),
                Optional.of(Instant.parse("2026-12-01T08:00:00Z")), Optional.of("hold")));
        assertThat(plan.activity("hold")).contains(new JourneyPlan.Holdout("hold", 10, Optional.of("random")));
        assertThat(plan.activity("random")).contains(new JourneyPlan.RandomSplit("random", List.of(
                new JourneyPlan.Branch(60, Optional.of("cond")), new JourneyPlan.Branch(40, Optional.empty()))));

        JourneyPlan.ConditionalSplit cond = (JourneyPlan.ConditionalSplit) plan.activity("cond").orElseThrow();
        assertThat(cond.condition().all()).isFalse();
        assertThat(cond.condition().conditions()).hasSize(3);
        JourneyPlan.EventCondition event = (JourneyPlan.EventCondition) cond.condition().conditions().get(0);
        assertThat(event.messageActivity()).contains("email");
        assertThat(event.dimensions().path("EventType").path("Values").get(0).asText()).isEqualTo("_email.open");
        assertThat(cond.condition().conditions().get(1)).isEqualTo(new JourneyPlan.SegmentCondition("seg-2"));
        JourneyPlan.DimensionsCondition dimensions =
                (JourneyPlan.DimensionsCondition) cond.condition().conditions().get(2);
        assertThat(dimensions.dimensions().path("Location").path("Country").path("Values").get(0).asText())
                .isEqualTo("FR");
        assertThat(cond.evaluationWait()).contains(new JourneyPlan.EvaluationWait(Optional.of(Duration.ofDays(1)),
                Optional.empty()));
        assertThat(cond.whenTrue()).contains("multi");
        assertThat(cond.whenFalse()).contains("contact");

        JourneyPlan.MultiCondition multi = (JourneyPlan.MultiCondition) plan.activity("multi").orElseThrow();
        assertThat(multi.branches()).hasSize(2);
        assertThat(multi.branches().get(0)).isEqualTo(new JourneyPlan.ConditionBranch(
                new JourneyPlan.SegmentCondition("seg-3"), Optional.of("contact")));
        assertThat(multi.branches().get(1).next()).isEmpty();
        assertThat(((JourneyPlan.EventCondition) multi.branches().get(1).condition()).dimensions()).isEmpty();
        assertThat(multi.otherwise()).contains("draft");
        assertThat(multi.evaluationWait()).contains(new JourneyPlan.EvaluationWait(Optional.empty(),
                Optional.of(Instant.parse("2026-12-02T00:00:00Z"))));

        assertThat(plan.activity("contact")).contains(new JourneyPlan.ContactCenter("contact", Optional.of("draft")));
        assertThat(plan.activity("draft")).contains(new JourneyPlan.Unset("draft"));
    }

    @Test
    void aBareDefinitionHasEveryDefault() {
        JourneyPlan plan = read("{'Name':'j'}");
        assertThat(plan.startActivity()).isEmpty();
        assertThat(plan.activities()).isEmpty();
        assertThat(plan.limits()).isEqualTo(JourneyPlan.Limits.NONE);
        assertThat(plan.quietTime()).isEmpty();
        assertThat(plan.waitForQuietTime()).isFalse();
        assertThat(plan.localTime()).isFalse();
        assertThat(plan.scheduleOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(plan.startTime()).isEmpty();
        assertThat(plan.endTime()).isEmpty();
        assertThat(plan.sendingSchedule()).isFalse();
        assertThat(plan.openHours()).isEmpty();
        assertThat(plan.closedDays()).isEmpty();
        assertThat(plan.timezoneEstimation()).isEmpty();
        assertThat(plan.segmentId()).isEmpty();
        assertThat(plan.refreshOnSegmentUpdate()).isFalse();
        assertThat(plan.eventStart()).isEmpty();
    }

    @Test
    void readsLimitsWithZeroAsOff() {
        JourneyPlan plan = read("{'Limits':{'DailyCap':3,'TotalCap':0,'TimeframeCap':{'Cap':5,'Days':7},"
                + "'EndpointReentryCap':2,'EndpointReentryInterval':'PT12H','MessagesPerSecond':50}}");
        assertThat(plan.limits()).isEqualTo(new JourneyPlan.Limits(OptionalInt.of(3), OptionalInt.empty(),
                OptionalInt.of(5), OptionalInt.of(7), OptionalInt.of(2), Optional.of(Duration.ofHours(12)),
                OptionalInt.of(50)));
        assertThat(read("{'Limits':{'EndpointReentryCap':0,'MessagesPerSecond':0,'TimeframeCap':{'Cap':0}}}")
                .limits()).isEqualTo(JourneyPlan.Limits.NONE);
    }

    @Test
    void readsTheScheduleAndItsOffset() {
        JourneyPlan plan = read("{'LocalTime':true,'Schedule':{'StartTime':'2026-12-01T09:00:00-05:00',"
                + "'EndTime':'2026-12-31T00:00:00Z','Timezone':'UTC+05:30'}}");
        assertThat(plan.localTime()).isTrue();
        assertThat(plan.startTime()).contains(Instant.parse("2026-12-01T14:00:00Z"));
        assertThat(plan.endTime()).contains(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(plan.scheduleOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
        assertThat(read("{'Schedule':{'Timezone':'UTC-08'}}").scheduleOffset()).isEqualTo(ZoneOffset.ofHours(-8));
        assertThat(read("{'Schedule':{'Timezone':'UTC'}}").scheduleOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(read("{'Schedule':{'Timezone':'UTC+13:45'}}").scheduleOffset())
                .isEqualTo(ZoneOffset.ofHoursMinutes(13, 45));
        // Only LocalTime reads the offset: without it an odd value is no reason to stop the journey.
        assertThat(read("{'Schedule':{'Timezone':'Mars'}}").scheduleOffset()).isEqualTo(ZoneOffset.UTC);
        unreadable("{'LocalTime':true,'Schedule':{'Timezone':'Mars'}}", "Schedule.Timezone");
        unreadable("{'Schedule':{'StartTime':'tomorrow'}}", "Schedule.StartTime");
        unreadable("{'Schedule':{'EndTime':'2026-12-31T00:00:00'}}", "Schedule.EndTime");
    }

    @Test
    void readsQuietTimeAndTheSendingSchedule() {
        JourneyPlan plan = read("""
                {'QuietTime':{'Start':'22:00','End':'07:30'},'WaitForQuietTime':true,'SendingSchedule':true,
                 'OpenHours':{'EMAIL':{'MONDAY':[{'StartTime':'09:00','EndTime':'12:00'},
                                                 {'StartTime':'13:00','EndTime':'17:00:00'}],'SUNDAY':[]},
                              'SMS':{'FRIDAY':[{'StartTime':'10:00','EndTime':'11:00'}]}},
                 'ClosedDays':{'EMAIL':[{'Name':'Xmas','StartDateTime':'2026-12-24T00:00',
                                         'EndDateTime':'2026-12-26T23:59'},
                                        {'StartDateTime':'2026-12-31T18:00:00+01:00',
                                         'EndDateTime':'2027-01-01T12:00:00Z'}]}}""");
        assertThat(plan.quietTime()).contains(new JourneyPlan.QuietTime(LocalTime.of(22, 0), LocalTime.of(7, 30)));
        assertThat(plan.waitForQuietTime()).isTrue();
        assertThat(plan.sendingSchedule()).isTrue();
        assertThat(plan.openHours().get("EMAIL").get(DayOfWeek.MONDAY)).containsExactly(
                new OpenWindow(LocalTime.of(9, 0), LocalTime.of(12, 0)),
                new OpenWindow(LocalTime.of(13, 0), LocalTime.of(17, 0)));
        assertThat(plan.openHours().get("EMAIL").get(DayOfWeek.SUNDAY)).isEmpty();
        assertThat(plan.openHours().get("SMS").get(DayOfWeek.FRIDAY)).containsExactly(
                new OpenWindow(LocalTime.of(10, 0), LocalTime.of(11, 0)));
        // An offset is dropped: closed days are local times of each endpoint.
        assertThat(plan.closedDays().get("EMAIL")).containsExactly(
                new ClosedDay("Xmas", LocalDateTime.of(2026, 12, 24, 0, 0), LocalDateTime.of(2026, 12, 26, 23, 59)),
                new ClosedDay("", LocalDateTime.of(2026, 12, 31, 18, 0), LocalDateTime.of(2027, 1, 1, 12, 0)));
        assertThat(read("{'QuietTime':{'Start':'22:00'}}").quietTime()).as("one end alone").isEmpty();
        unreadable("{'QuietTime':{'Start':'22h','End':'07:00'}}", "QuietTime.Start");
        unreadable("{'OpenHours':{'EMAIL':{'MONDAYS':[]}}}", "OpenHours.EMAIL.MONDAYS");
        unreadable("{'OpenHours':{'EMAIL':{'MONDAY':[{'StartTime':'09:00'}]}}}", "OpenHours.EMAIL.MONDAY[0].EndTime");
        unreadable("{'ClosedDays':{'SMS':[{'StartDateTime':'24/12','EndDateTime':'2026-12-26T23:59'}]}}",
                "ClosedDays.SMS[0].StartDateTime");
        unreadable("{'ClosedDays':{'SMS':[{'StartDateTime':'2026-12-26T00:00','EndDateTime':'2026-12-24T00:00'}]}}",
                "ClosedDays.SMS[0]");
    }

    @Test
    void readsTheStartConditionAndEstimationMethods() {
        JourneyPlan segment = read("{'StartCondition':{'SegmentStartCondition':{'SegmentId':'seg-1'}},"
                + "'RefreshOnSegmentUpdate':true,'TimezoneEstimationMethods':['POSTAL_CODE','PHONE_NUMBER']}");
        assertThat(segment.segmentId()).contains("seg-1");
        assertThat(segment.refreshOnSegmentUpdate()).isTrue();
        assertThat(segment.timezoneEstimation()).containsExactly("POSTAL_CODE", "PHONE_NUMBER");
        assertThat(segment.eventStart()).isEmpty();

        JourneyPlan event = read("{'StartCondition':{'EventStartCondition':{'SegmentId':'seg-9','EventFilter':"
                + "{'FilterType':'ENDPOINT','Dimensions':{'EventType':{'DimensionType':'INCLUSIVE','Values':['buy']},"
                + "'Metrics':{'price':{'ComparisonOperator':'GREATER_THAN','Value':10}}}}}}}");
        assertThat(event.segmentId()).isEmpty();
        JourneyPlan.EventStart start = event.eventStart().orElseThrow();
        assertThat(start.filterType()).isEqualTo("ENDPOINT");
        assertThat(start.segmentId()).contains("seg-9");
        assertThat(start.dimensions().path("EventType").path("Values").get(0).asText()).isEqualTo("buy");

        unreadable("{'StartCondition':{'EventStartCondition':{'EventFilter':{'FilterType':'ENDPOINT'}}}}",
                "StartCondition.EventStartCondition.EventFilter.Dimensions");
        unreadable("{'StartCondition':{'EventStartCondition':{'EventFilter':{'FilterType':'X','Dimensions':{}}}}}",
                "StartCondition.EventStartCondition.EventFilter.FilterType");
        unreadable("{'StartCondition':{'EventStartCondition':{'EventFilter':{'FilterType':'SYSTEM','Dimensions':"
                + "{'Attributes':{'a':{'AttributeType':'NOT_BETWEEN','Values':['x']}}}}}}}",
                "StartCondition.EventStartCondition.EventFilter.Dimensions.Attributes.a.AttributeType");
        unreadable("{'StartCondition':{'EventStartCondition':{'EventFilter':{'FilterType':'SYSTEM','Dimensions':"
                + "{'Metrics':{'m':{'ComparisonOperator':'EQUAL','Value':'ten'}}}}}}}",
                "StartCondition.EventStartCondition.EventFilter.Dimensions.Metrics.m.Value");
        unreadable("{'TimezoneEstimationMethods':['GPS']}", "TimezoneEstimationMethods[0]");
        unreadable("{'StartCondition':{'SegmentStartCondition':{}}}", "StartCondition.SegmentStartCondition.SegmentId");
    }

    @Test
    void whatCannotBeExecutedIsUnreadableNamingTheMember() {
        unreadable("not json", "the definition");
        unreadable("[1]", "the definition");
        unreadable("{'StartActivity':'nowhere'}", "StartActivity");
        unreadable("{'Activities':{'a':{'Wait':{'WaitTime':{'WaitFor':'PT1H'},'NextActivity':'b'}}}}",
                "Activities.a.Wait.NextActivity");
        unreadable("{'Activities':{'a':{'Wait':{'WaitTime':{'WaitFor':'P1M'}}}}}", "Activities.a.Wait.WaitTime.WaitFor");
        unreadable("{'Activities':{'a':{'Wait':{'WaitTime':{'WaitUntil':'2026-12-01'}}}}}",
                "Activities.a.Wait.WaitTime.WaitUntil");
        unreadable("{'Activities':{'a':{'Wait':{'WaitTime':{}}}}}", "Activities.a.Wait.WaitTime");
        unreadable("{'Activities':{'a':{'Wait':{}}}}", "Activities.a.Wait.WaitTime");
        unreadable("{'Activities':{'a':{'Holdout':{}}}}", "Activities.a.Holdout.Percentage");
        unreadable("{'Activities':{'a':{'Holdout':{'Percentage':101}}}}", "Activities.a.Holdout.Percentage");
        unreadable("{'Activities':{'a':{'Holdout':{'Percentage':'10'}}}}", "Activities.a.Holdout.Percentage");
        unreadable("{'Activities':{'a':{'RandomSplit':{'Branches':[]}}}}", "Activities.a.RandomSplit.Branches");
        unreadable("{'Activities':{'a':{'RandomSplit':{'Branches':[{'Percentage':70},{'Percentage':70}]}}}}",
                "Activities.a.RandomSplit.Branches");
        unreadable("{'Activities':{'a':{'RandomSplit':{'Branches':[{}]}}}}",
                "Activities.a.RandomSplit.Branches[0].Percentage");
        unreadable("{'Activities':{'a':{'EMAIL':{},'SMS':{}}}}", "Activities.a");
        unreadable("{'Activities':{'a':{'EMAIL':{'TemplateName':5}}}}", "Activities.a.EMAIL.TemplateName");
        unreadable("{'Activities':{'a':{'ConditionalSplit':{}}}}", "Activities.a.ConditionalSplit.Condition");
        unreadable("{'Activities':{'a':{'ConditionalSplit':{'Condition':{'Conditions':[]}}}}}",
                "Activities.a.ConditionalSplit.Condition.Conditions");
        unreadable("{'Activities':{'a':{'ConditionalSplit':{'Condition':{'Conditions':[{}]}}}}}",
                "Activities.a.ConditionalSplit.Condition.Conditions[0]");
        unreadable("{'Activities':{'a':{'ConditionalSplit':{'Condition':{'Conditions':["
                + "{'SegmentCondition':{'SegmentId':'s'}},{'SegmentCondition':{'SegmentId':'t'}}]}}}}}",
                "Activities.a.ConditionalSplit.Condition.Operator");
        unreadable("{'Activities':{'a':{'ConditionalSplit':{'Condition':{'Conditions':["
                + "{'EventCondition':{'MessageActivity':'zz'}}]}}}}}",
                "Activities.a.ConditionalSplit.Condition.Conditions[0].EventCondition.MessageActivity");
        unreadable("{'Activities':{'a':{'MultiCondition':{'Branches':[{'NextActivity':'a'}]}}}}",
                "Activities.a.MultiCondition.Branches[0].Condition");
        unreadable("{'Activities':{'a':{'MultiCondition':{'Branches':[],'DefaultActivity':'b'}}}}",
                "Activities.a.MultiCondition.DefaultActivity");
        unreadable("{'Limits':{'DailyCap':-1}}", "Limits.DailyCap");
        unreadable("{'Limits':{'EndpointReentryInterval':'soon'}}", "Limits.EndpointReentryInterval");
        unreadable("{'LocalTime':'yes'}", "LocalTime");
    }

    @Test
    void aDefinitionWithTooManyActivitiesIsRefusedNotRun() {
        StringBuilder json = new StringBuilder("{\"Activities\":{");
        for (int i = 0; i <= JourneyPlanReader.MAX_ACTIVITIES; i++) {
            json.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":{}");
        }
        json.append("}}");
        assertThatThrownBy(() -> JourneyPlanReader.read("app", "journey-1", 1, json.toString()))
                .isInstanceOf(UnreadablePlanException.class).hasMessageContaining("Activities");
    }
}
