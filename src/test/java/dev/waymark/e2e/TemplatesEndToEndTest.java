package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.messaging.StoredTemplate;
import dev.waymark.messaging.TemplateType;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqlTransfer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.Action;
import software.amazon.awssdk.services.pinpoint.model.Alignment;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.CreateTemplateMessageBody;
import software.amazon.awssdk.services.pinpoint.model.EmailTemplateResponse;
import software.amazon.awssdk.services.pinpoint.model.InAppMessageContent;
import software.amazon.awssdk.services.pinpoint.model.Layout;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.TemplateResponse;
import software.amazon.awssdk.services.pinpoint.model.TemplateVersionResponse;

/** Message templates through the Java SDK: the five types, versions, the active version, listings, tags, refusals. */
class TemplatesEndToEndTest extends EndToEndTest {
    @Test
    void emailTemplateVersionsAndTheActiveVersion() {
        CreateTemplateMessageBody created = client.createEmailTemplate(r -> r.templateName("welcome")
                .emailTemplateRequest(t -> t.subject("Hello {{User.UserAttributes.FirstName}}")
                        .htmlPart("<p>Hi {{#if Attributes.Plan}}{{Attributes.Plan}}{{else}}there{{/if}}</p>")
                        .textPart("Hi").defaultSubstitutions("{\"User.UserAttributes.FirstName\": \"friend\"}")
                        .templateDescription("first").tags(Map.of("team", "growth")))).createTemplateMessageBody();
        assertThat(created.arn()).isEqualTo(
                "arn:aws:mobiletargeting:us-east-1:000000000000:templates/welcome/EMAIL".replace("us-east-1",
                        created.arn().split(":")[3]).replace("000000000000", created.arn().split(":")[4]));
        assertThat(created.requestID()).isNotBlank();

        EmailTemplateResponse first = client.getEmailTemplate(r -> r.templateName("welcome")).emailTemplateResponse();
        assertThat(first.version()).isEqualTo("1");
        assertThat(first.templateType().toString()).isEqualTo("EMAIL");
        assertThat(first.subject()).isEqualTo("Hello {{User.UserAttributes.FirstName}}");
        assertThat(first.tags()).containsEntry("team", "growth");

        // Without create-new-version the latest version is replaced in place.
        client.updateEmailTemplate(r -> r.templateName("welcome").emailTemplateRequest(t -> t.subject("Hi again")));
        assertThat(client.getEmailTemplate(r -> r.templateName("welcome")).emailTemplateResponse())
                .satisfies(t -> assertThat(t.version()).isEqualTo("1"))
                .satisfies(t -> assertThat(t.subject()).isEqualTo("Hi again"));
        client.updateEmailTemplate(r -> r.templateName("welcome").createNewVersion(true)
                .emailTemplateRequest(t -> t.subject("Version two")));
        // The active version stays 1 until it is changed.
        assertThat(client.getEmailTemplate(r -> r.templateName("welcome")).emailTemplateResponse().subject())
                .isEqualTo("Hi again");
        assertThat(client.getEmailTemplate(r -> r.templateName("welcome").version("2")).emailTemplateResponse()
                .subject()).isEqualTo("Version two");
        assertThatThrownBy(() -> client.updateEmailTemplate(r -> r.templateName("welcome").version("1")
                .emailTemplateRequest(t -> t.subject("stale")))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("latest");
        client.updateTemplateActiveVersion(r -> r.templateName("welcome").templateType("EMAIL")
                .templateActiveVersionRequest(v -> v.version("latest")));
        assertThat(client.getEmailTemplate(r -> r.templateName("welcome")).emailTemplateResponse().version())
                .isEqualTo("2");

        List<TemplateVersionResponse> versions = client.listTemplateVersions(r -> r.templateName("welcome")
                .templateType("EMAIL")).templateVersionsResponse().item();
        assertThat(versions).extracting(TemplateVersionResponse::version).containsExactly("1", "2");

        assertThatThrownBy(() -> client.deleteEmailTemplate(r -> r.templateName("welcome").version("2")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("active");
        client.deleteEmailTemplate(r -> r.templateName("welcome").version("1"));
        assertThatThrownBy(() -> client.getEmailTemplate(r -> r.templateName("welcome").version("1")))
                .isInstanceOf(NotFoundException.class);
        client.deleteEmailTemplate(r -> r.templateName("welcome"));
        assertThatThrownBy(() -> client.getEmailTemplate(r -> r.templateName("welcome")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("welcome");
    }

    @Test
    void everyTypeIsStoredAndListed() {
        client.createSmsTemplate(r -> r.templateName("code").smsTemplateRequest(t -> t.body("Code {{Attributes.Code}}")));
        client.createVoiceTemplate(r -> r.templateName("code").voiceTemplateRequest(t -> t.body("Your code")
                .languageCode("en-US").voiceId("Joanna")));
        client.createPushTemplate(r -> r.templateName("news").pushNotificationTemplateRequest(t -> t
                .defaultValue(d -> d.title("News").body("{{Attributes.Headline}}").action(Action.OPEN_APP))
                .gcm(g -> g.title("GCM news"))));
        client.createInAppTemplate(r -> r.templateName("banner").inAppTemplateRequest(t -> t.layout(Layout.TOP_BANNER)
                .content(InAppMessageContent.builder().bodyConfig(b -> b.body("Welcome").alignment(Alignment.LEFT)
                        .textColor("#000000")).build())));

        assertThat(client.getSmsTemplate(r -> r.templateName("code")).smsTemplateResponse().body())
                .isEqualTo("Code {{Attributes.Code}}");
        assertThat(client.getVoiceTemplate(r -> r.templateName("code")).voiceTemplateResponse().voiceId())
                .isEqualTo("Joanna");
        assertThat(client.getPushTemplate(r -> r.templateName("news")).pushNotificationTemplateResponse()
                .gcm().title()).isEqualTo("GCM news");
        assertThat(client.getInAppTemplate(r -> r.templateName("banner")).inAppTemplateResponse().layout())
                .isEqualTo(Layout.TOP_BANNER);

        List<TemplateResponse> all = client.listTemplates(r -> { }).templatesResponse().item();
        assertThat(all).extracting(t -> t.templateName() + "/" + t.templateTypeAsString())
                .containsExactly("banner/INAPP", "code/SMS", "code/VOICE", "news/PUSH");
        assertThat(client.listTemplates(r -> r.prefix("co").templateType("VOICE")).templatesResponse().item())
                .extracting(TemplateResponse::templateName).containsExactly("code");

        // One per page, each exactly once.
        List<String> paged = new java.util.ArrayList<>();
        String token = null;
        do {
            String after = token;
            var page = client.listTemplates(r -> r.pageSize("1").nextToken(after)).templatesResponse();
            page.item().forEach(t -> paged.add(t.templateName() + "/" + t.templateTypeAsString()));
            token = page.nextToken();
        } while (token != null && paged.size() < 10);
        assertThat(paged).containsExactly("banner/INAPP", "code/SMS", "code/VOICE", "news/PUSH");
    }

    @Test
    void templatesThatCannotBeSavedAreRefused() {
        assertThatThrownBy(() -> client.createEmailTemplate(r -> r.templateName("broken").emailTemplateRequest(t -> t
                .subject("ok").htmlPart("<p>\n{{#if Attributes.Plan}}unclosed</p>"))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("HtmlPart")
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> client.createPushTemplate(r -> r.templateName("broken")
                .pushNotificationTemplateRequest(t -> t.apns(a -> a.body("{{Attributes.X")))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("APNS.Body");
        assertThatThrownBy(() -> client.createSmsTemplate(r -> r.templateName("broken").smsTemplateRequest(t -> t
                .body("Hi").defaultSubstitutions("[1, 2]")))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("DefaultSubstitutions");
        assertThatThrownBy(() -> client.createSmsTemplate(r -> r.templateName("bad name")
                .smsTemplateRequest(t -> t.body("Hi")))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("TemplateName");
        assertThatThrownBy(() -> client.createSmsTemplate(r -> r.templateName("x".repeat(129))
                .smsTemplateRequest(t -> t.body("Hi")))).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> client.createSmsTemplate(r -> r.templateName("long")
                .smsTemplateRequest(t -> t.body("x".repeat(1601))))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("1600");
        // Pinpoint's documented helpers, nested and inline partials compile; an unknown helper in a sub-expression
        // does not.
        client.createSmsTemplate(r -> r.templateName("helpers").smsTemplateRequest(t -> t.body(
                "{{capitalizeFirst (lower \"JANE\")}} {{add 1 (multiply 2 (round 3.5))}} {{eq a b yes='y' no='n'}} "
                        + "{{#* inline \"x\"}}hi{{/inline}}{{> x}} {{User.UserAttributes.[Last Name].[0]}}")));
        assertThatThrownBy(() -> client.createSmsTemplate(r -> r.templateName("unknown").smsTemplateRequest(t -> t
                .body("{{upper (shout Attributes.Name)}}")))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Body").hasMessageContaining("line 1, column").hasMessageContaining("shout");
        client.createSmsTemplate(r -> r.templateName("once").smsTemplateRequest(t -> t.body("Hi")));
        assertThatThrownBy(() -> client.createSmsTemplate(r -> r.templateName("once")
                .smsTemplateRequest(t -> t.body("Hi")))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> client.getSmsTemplate(r -> r.templateName("broken")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.updateSmsTemplate(r -> r.templateName("none")
                .smsTemplateRequest(t -> t.body("Hi")))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void tagsOnTemplateArns() {
        String arn = client.createSmsTemplate(r -> r.templateName("tagged").smsTemplateRequest(t -> t.body("Hi")
                .tags(Map.of("a", "1")))).createTemplateMessageBody().arn();
        client.tagResource(r -> r.resourceArn(arn).tagsModel(t -> t.tags(Map.of("b", "2"))));
        assertThat(client.listTagsForResource(r -> r.resourceArn(arn)).tagsModel().tags())
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
        client.untagResource(r -> r.resourceArn(arn).tagKeys("a"));
        assertThat(client.getSmsTemplate(r -> r.templateName("tagged")).smsTemplateResponse().tags())
                .containsExactlyEntriesOf(Map.of("b", "2"));
        // The same name of another type is another resource.
        String voiceArn = arn.replace("/SMS", "/VOICE");
        assertThatThrownBy(() -> client.listTagsForResource(r -> r.resourceArn(voiceArn)))
                .isInstanceOf(NotFoundException.class);
        client.deleteSmsTemplate(r -> r.templateName("tagged"));
        assertThatThrownBy(() -> client.listTagsForResource(r -> r.resourceArn(arn)))
                .isInstanceOf(NotFoundException.class);
        client.createSmsTemplate(r -> r.templateName("tagged").smsTemplateRequest(t -> t.body("Hi")));
        assertThat(client.listTagsForResource(r -> r.resourceArn(arn)).tagsModel().tags()).isEmpty();
    }

    @Test
    void exportAndImportCarryTemplatesTheirVersionsAndTags() {
        client.createEmailTemplate(r -> r.templateName("moved").emailTemplateRequest(t -> t.subject("one")
                .tags(Map.of("k", "v"))));
        client.updateEmailTemplate(r -> r.templateName("moved").createNewVersion(true)
                .emailTemplateRequest(t -> t.subject("two")));
        client.updateEmailTemplate(r -> r.templateName("moved").createNewVersion(true)
                .emailTemplateRequest(t -> t.subject("three")));
        client.deleteEmailTemplate(r -> r.templateName("moved").version("3"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SqlTransfer.export((SqlStore) waymark.server().store(), out, () -> { });
        try (SqlStore copy = SqlStore.open("jdbc:sqlite:" + dataDir.resolve("copy.db"))) {
            SqlTransfer.importFrom(copy, new BufferedReader(new StringReader(out.toString(StandardCharsets.UTF_8))),
                    () -> { });
            StoredTemplate active = copy.templates().find(TemplateType.EMAIL, "moved", Optional.empty()).orElseThrow();
            assertThat(active.version()).isEqualTo(1);
            assertThat(active.definition().path("Subject").asText()).isEqualTo("one");
            assertThat(copy.templates().latestVersion(TemplateType.EMAIL, "moved")).contains(2);
            assertThat(copy.tags().get("templates/EMAIL/moved")).containsEntry("k", "v");
            // Version 3 was deleted, and its number is not handed out again after the move either.
            StoredTemplate next = copy.templates().update(TemplateType.EMAIL, "moved", active.definition(), true,
                    Optional.empty(), java.time.Instant.now()).orElseThrow();
            assertThat(next.version()).isEqualTo(4);
        }
    }
}
