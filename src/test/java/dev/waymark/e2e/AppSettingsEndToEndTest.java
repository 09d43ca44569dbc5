package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.apps.AppSettings;
import dev.waymark.auth.AccessKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.ApplicationSettingsJourneyLimits;
import software.amazon.awssdk.services.pinpoint.model.ApplicationSettingsResource;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.CampaignHook;
import software.amazon.awssdk.services.pinpoint.model.CampaignLimits;
import software.amazon.awssdk.services.pinpoint.model.ForbiddenException;
import software.amazon.awssdk.services.pinpoint.model.Mode;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.PayloadTooLargeException;
import software.amazon.awssdk.services.pinpoint.model.QuietTime;
import software.amazon.awssdk.services.pinpoint.model.WriteApplicationSettingsRequest;

/** GetApplicationSettings and UpdateApplicationSettings through the Java SDK, and the settings the engine reads. */
class AppSettingsEndToEndTest extends EndToEndTest {
    private static final CampaignHook HOOK = CampaignHook.builder().lambdaFunctionName("arn:aws:lambda:us-east-1:"
            + "000000000000:function:filter").mode(Mode.FILTER).webUrl("https://hooks.example.com/filter").build();
    private static final CampaignLimits LIMITS = CampaignLimits.builder().daily(10).total(100).messagesPerSecond(50)
            .maximumDuration(60).session(3).build();
    private static final QuietTime QUIET = QuietTime.builder().start("22:00").end("07:30").build();
    private static final ApplicationSettingsJourneyLimits JOURNEY_LIMITS = ApplicationSettingsJourneyLimits.builder()
            .dailyCap(5).totalCap(100).timeframeCap(t -> t.cap(20).days(30)).build();

    @Test
    void aNewAppAnswersItsDefaults() {
        String appId = createApp("fresh");
        String created = client.getApp(r -> r.applicationId(appId)).applicationResponse().creationDate();

        ApplicationSettingsResource settings = get(appId);

        assertThat(settings.applicationId()).isEqualTo(appId);
        assertThat(settings.lastModifiedDate()).isEqualTo(created);
        assertThat(settings.campaignHook()).isEqualTo(CampaignHook.builder().build());
        assertThat(settings.limits()).isEqualTo(CampaignLimits.builder().build());
        assertThat(settings.quietTime()).isEqualTo(QuietTime.builder().build());
        assertThat(settings.journeyLimits()).isNull();
        AppSettings read = waymark.server().store().apps().settings(appId).orElseThrow();
        assertThat(read.quietTime()).isEmpty();
        assertThat(read.journeyLimits()).isEqualTo(new AppSettings.JourneyLimits(0, 0, 0, 0));
        assertThat(read.limits().daily()).isEmpty();
    }

    @Test
    void everyMemberIsStoredAndAnsweredAsSent() {
        String appId = createApp("full");
        Instant before = Instant.now().minusMillis(1);

        ApplicationSettingsResource updated = update(appId, w -> w.campaignHook(HOOK).limits(LIMITS).quietTime(QUIET)
                .journeyLimits(JOURNEY_LIMITS).cloudWatchMetricsEnabled(true).eventTaggingEnabled(false));

        assertThat(updated.applicationId()).isEqualTo(appId);
        assertThat(updated.campaignHook()).isEqualTo(HOOK);
        assertThat(updated.limits()).isEqualTo(LIMITS);
        assertThat(updated.quietTime()).isEqualTo(QUIET);
        assertThat(updated.journeyLimits()).isEqualTo(JOURNEY_LIMITS);
        assertThat(Instant.parse(updated.lastModifiedDate())).isAfter(before);
        assertThat(get(appId)).isEqualTo(updated);

        AppSettings read = waymark.server().store().apps().settings(appId).orElseThrow();
        assertThat(read.quietTime()).contains(new AppSettings.QuietTime(LocalTime.of(22, 0), LocalTime.of(7, 30)));
        assertThat(read.journeyLimits()).isEqualTo(new AppSettings.JourneyLimits(5, 100, 20, 30));
        assertThat(read.limits().daily()).isEqualTo(OptionalInt.of(10));
        assertThat(read.limits().messagesPerSecond()).isEqualTo(OptionalInt.of(50));
        assertThat(read.members().get("CloudWatchMetricsEnabled").booleanValue()).as("stored, not answered").isTrue();
    }

    @Test
    void anUpdateReplacesTheMembersItSendsAndKeepsTheOthers() {
        String appId = createApp("partial");
        update(appId, w -> w.campaignHook(HOOK).limits(LIMITS).quietTime(QUIET).journeyLimits(JOURNEY_LIMITS));

        QuietTime lunch = QuietTime.builder().start("12:00").end("13:00").build();
        ApplicationSettingsResource onlyQuiet = update(appId, w -> w.quietTime(lunch));
        assertThat(onlyQuiet.quietTime()).isEqualTo(lunch);
        assertThat(onlyQuiet.campaignHook()).isEqualTo(HOOK);
        assertThat(onlyQuiet.limits()).isEqualTo(LIMITS);
        assertThat(onlyQuiet.journeyLimits()).isEqualTo(JOURNEY_LIMITS);

        // A member sent is replaced whole: its nested members are not merged with the stored ones.
        ApplicationSettingsResource onlyDaily = update(appId, w -> w.limits(l -> l.daily(3)));
        assertThat(onlyDaily.limits()).isEqualTo(CampaignLimits.builder().daily(3).build());
        assertThat(onlyDaily.quietTime()).isEqualTo(lunch);

        // An empty member clears it; an empty request changes nothing but the date.
        ApplicationSettingsResource cleared = update(appId, w -> w.quietTime(QuietTime.builder().build()));
        assertThat(cleared.quietTime()).isEqualTo(QuietTime.builder().build());
        assertThat(waymark.server().store().apps().settings(appId).orElseThrow().quietTime()).isEmpty();
        ApplicationSettingsResource untouched = update(appId, w -> { });
        assertThat(untouched.toBuilder().lastModifiedDate(null).build())
                .isEqualTo(cleared.toBuilder().lastModifiedDate(null).build());
        assertThat(get(appId)).isEqualTo(untouched);
    }

    @Test
    void updatesOfDifferentMembersAtOnceBothTakeEffect() {
        String appId = createApp("racing");
        for (int round = 0; round < 10; round++) {
            int daily = round;
            CompletableFuture<?> limits = CompletableFuture.runAsync(() -> update(appId, w -> w.limits(l -> l.daily(daily))));
            CompletableFuture<?> quiet = CompletableFuture.runAsync(() -> update(appId, w -> w.quietTime(q -> q
                    .start(String.format("%02d:00", daily)).end("23:00"))));
            CompletableFuture.allOf(limits, quiet).join();
            ApplicationSettingsResource settings = get(appId);
            assertThat(settings.limits().daily()).isEqualTo(daily);
            assertThat(settings.quietTime().start()).isEqualTo(String.format("%02d:00", daily));
        }
    }

    @Test
    void everyBoundIsRefusedNamingItsMemberAndNothingIsStored() {
        String appId = createApp("bounds");
        ApplicationSettingsResource stored = update(appId, w -> w.limits(LIMITS).quietTime(QUIET)
                .journeyLimits(JOURNEY_LIMITS).campaignHook(HOOK));
        Map<Consumer<WriteApplicationSettingsRequest.Builder>, String> refused = new LinkedHashMap<>();
        refused.put(w -> w.limits(l -> l.daily(101)), "Limits.Daily must be between 0 and 100, not 101");
        refused.put(w -> w.limits(l -> l.daily(-1)), "Limits.Daily must be between 0 and 100, not -1");
        refused.put(w -> w.limits(l -> l.total(101)), "Limits.Total must be between 0 and 100, not 101");
        refused.put(w -> w.limits(l -> l.messagesPerSecond(0)), "Limits.MessagesPerSecond must be between 1 and 20000");
        refused.put(w -> w.limits(l -> l.messagesPerSecond(20_001)), "Limits.MessagesPerSecond must be between 1 and 20000");
        refused.put(w -> w.limits(l -> l.maximumDuration(59)), "Limits.MaximumDuration must be at least 60, not 59");
        refused.put(w -> w.limits(l -> l.session(-1)), "Limits.Session must be at least 0, not -1");
        refused.put(w -> w.journeyLimits(j -> j.dailyCap(101)), "JourneyLimits.DailyCap must be between 0 and 100");
        refused.put(w -> w.journeyLimits(j -> j.totalCap(101)), "JourneyLimits.TotalCap must be between 0 and 100");
        refused.put(w -> w.journeyLimits(j -> j.timeframeCap(t -> t.cap(101))),
                "JourneyLimits.TimeframeCap.Cap must be between 0 and 100");
        refused.put(w -> w.journeyLimits(j -> j.timeframeCap(t -> t.days(31))),
                "JourneyLimits.TimeframeCap.Days must be between 0 and 30, not 31");
        refused.put(w -> w.quietTime(q -> q.start("24:00").end("07:00")), "QuietTime.Start must be a 24-hour HH:MM");
        refused.put(w -> w.quietTime(q -> q.start("22:00").end("7:00")), "QuietTime.End must be a 24-hour HH:MM");
        refused.put(w -> w.quietTime(q -> q.start("22:00")), "QuietTime needs both Start and End");
        refused.put(w -> w.campaignHook(h -> h.mode("SOMETIMES")), "CampaignHook.Mode must be one of DELIVERY, FILTER");
        refused.put(w -> w.campaignHook(h -> h.lambdaFunctionName("f".repeat(171))),
                "CampaignHook.LambdaFunctionName must be at most 170 characters, not 171");
        refused.put(w -> w.campaignHook(h -> h.webUrl("https://" + "u".repeat(2041))),
                "CampaignHook.WebUrl must be at most 2048 characters, not 2049");
        refused.forEach((request, message) -> assertThatThrownBy(() -> update(appId, request))
                .isInstanceOf(BadRequestException.class).hasMessageContaining(message));

        assertThatThrownBy(() -> update(appId, w -> w.campaignHook(h -> h.webUrl("u".repeat(20_000)))))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThat(get(appId)).isEqualTo(stored);
        // Each bound itself is allowed.
        update(appId, w -> w.limits(l -> l.daily(0).total(100).messagesPerSecond(20_000).maximumDuration(60))
                .journeyLimits(j -> j.dailyCap(0).totalCap(100).timeframeCap(t -> t.cap(100).days(30)))
                .quietTime(q -> q.start("00:00").end("23:59"))
                .campaignHook(h -> h.lambdaFunctionName("f".repeat(170)).mode(Mode.DELIVERY)));
    }

    @Test
    void aMissingAppIsNotFoundAndDeleteAppTakesItsSettings() throws Exception {
        String missing = "0".repeat(32);
        assertThatThrownBy(() -> get(missing)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Application '" + missing + "' not found");
        assertThatThrownBy(() -> update(missing, w -> w.quietTime(QUIET))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Application '" + missing + "' not found");

        String appId = createApp("deleted");
        update(appId, w -> w.quietTime(QUIET));
        assertThat(settingsRows(appId)).isEqualTo(1);
        client.deleteApp(r -> r.applicationId(appId));
        assertThat(settingsRows(appId)).isZero();
        assertThatThrownBy(() -> get(appId)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aScopedKeyReadsAndChangesOnlyItsAppsSettings() {
        String mine = createApp("mine");
        String theirs = createApp("theirs");
        PinpointClient scoped = clientWith(AccessKey.generate(false, Set.of(mine), false, Instant.now()));
        PinpointClient readOnly = clientWith(AccessKey.generate(false, Set.of(mine), true, Instant.now()));

        assertThat(scoped.updateApplicationSettings(r -> r.applicationId(mine).writeApplicationSettingsRequest(w -> w
                .quietTime(QUIET))).applicationSettingsResource().quietTime()).isEqualTo(QUIET);
        assertThat(readOnly.getApplicationSettings(r -> r.applicationId(mine)).applicationSettingsResource()
                .quietTime()).isEqualTo(QUIET);
        assertThatThrownBy(() -> scoped.getApplicationSettings(r -> r.applicationId(theirs)))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("may not use the application '" + theirs);
        assertThatThrownBy(() -> scoped.updateApplicationSettings(r -> r.applicationId(theirs)
                .writeApplicationSettingsRequest(w -> w.quietTime(QUIET))))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("may not use the application '" + theirs);
        assertThatThrownBy(() -> readOnly.updateApplicationSettings(r -> r.applicationId(mine)
                .writeApplicationSettingsRequest(w -> w.limits(LIMITS))))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("read-only");
        assertThat(get(theirs).quietTime()).isEqualTo(QuietTime.builder().build());
        assertThat(get(mine).limits()).isEqualTo(CampaignLimits.builder().build());
    }

    private ApplicationSettingsResource get(String appId) {
        return client.getApplicationSettings(r -> r.applicationId(appId)).applicationSettingsResource();
    }

    private ApplicationSettingsResource update(String appId, Consumer<WriteApplicationSettingsRequest.Builder> write) {
        return client.updateApplicationSettings(r -> r.applicationId(appId).writeApplicationSettingsRequest(write))
                .applicationSettingsResource();
    }

    private PinpointClient clientWith(AccessKey key) {
        waymark.server().store().accessKeys().insert(key);
        return WaymarkTestServer.clientFor(waymark.server().url(), key.id(), key.secret());
    }

    private int settingsRows(String appId) throws Exception {
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl());
             var query = db.prepareStatement("SELECT COUNT(*) FROM app_settings WHERE app_id = ?")) {
            query.setString(1, appId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
