package dev.waymark.messaging.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.messaging.render.MessageRenderer.RenderingFailure;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every helper of Pinpoint's "Using message template helpers", with the page's own examples (on the fixture's
 * endpoint: Location.City is Los Angeles, User.UserAttributes.LastName Santos, UserAge 22) and the edges.
 */
class HelpersTest {
    private static final Pattern HELPER = Pattern.compile("\\{\\{[#(]?\\s*(\\w+)");
    private static final Set<String> TESTED = new HashSet<>();
    private final RenderFixture fixture = new RenderFixture();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // Conditionals, inline with yes=/no= and as blocks with else.
            "{{#and (eq Location.City \"Los Angeles\") (eq Location.Country \"US\")}}LA{{else}}not{{/and}}|LA",
            "{{#and (eq Location.City \"Los Angeles\") (eq Location.Country \"FR\")}}LA{{else}}not{{/and}}|not",
            "{{and Location.City Location.Country Id yes='y' no='n'}} {{and Location.City Attributes.Missing}}|y false",
            "{{#eq User.UserAttributes.FavoriteColors.[0] \"red\"}}red{{else}}not red{{/eq}}|not red",
            "{{#eq Attributes.FavoriteColors.[0] \"red\"}}red{{else}}not red{{/eq}}|red",
            "{{eq Attributes.FavoriteColors \"red\" yes='Y' no='N'}} {{eq 2 2.0}} {{eq \"2\" 2}} {{eq Attributes.X Attributes.Y}}|Y true true true",
            "{{#gt User.UserAttributes.UserAge.[0] \"17\"}}old enough{{else}}too young{{/gt}}|old enough",
            "{{gt \"9\" \"17\"}} {{gt \"b\" \"a\"}} {{gt 3 3 yes='y' no='n'}}|false true n",
            "{{#gte User.UserAttributes.UserAge.[0] \"22\"}}yes{{else}}no{{/gte}} {{gte 1 2}}|yes false",
            "{{#lt User.UserAttributes.UserAge.[0] \"18\"}}too young{{else}}old enough{{/lt}} {{lt 1.5 2}}|old enough true",
            "{{#lte User.UserAttributes.UserAge.[0] \"22\"}}yes{{else}}no{{/lte}} {{lte 3 2 yes='y' no='n'}}|yes n",
            "{{#neq Attributes.FavoriteColors.[0] \"red\"}}not red{{else}}red{{/neq}} {{neq 1 2}}|red true",
            "{{#not (eq Attributes.FavoriteColors.[0] \"red\")}}not red{{else}}red{{/not}} {{not (eq Attributes.FavoriteColors.[0] \"red\")}}|red false",
            "{{not Attributes.Missing yes='none' no='some'}}|none",
            "{{#or (eq Location.City \"Los Angeles\") (eq Location.City \"Seattle\")}}West{{else}}not{{/or}}|West",
            "{{or Attributes.Missing Attributes.Empty}} {{or Attributes.Missing Id yes='y'}}|false y",
            "{{#if User.UserAttributes.FirstName.[0]}}Hello {{User.UserAttributes.FirstName.[0]}},{{else}}Hello,{{/if}}|Hello Jane,",
            "{{#if Attributes.Empty}}some{{else}}none{{/if}} {{#unless Attributes.Empty}}none{{/unless}}|none none",
            "{{#with Location}}{{City}} {{Region}}{{/with}}|Los Angeles CA",
            // Strings.
            "{{abbreviate \"Alejandro\" 6}} {{abbreviate Location.City 20}} {{abbreviate User.UserAttributes.LastName 4}}|Ale... Los Angeles S...",
            "{{capitalize Attributes.description.[0]}} {{capitalize \"mIXED case\" fully=true}}|My First Post Mixed Case",
            "{{capitalizeFirst Attributes.description.[0]}} {{capitalizeFirst (lower \"JANE\")}}|My first post Jane",
            "[{{center Location.City size=19}}] [{{center \"ab\" size=6 pad=\"*\"}}] [{{center \"long\" size=2}}]|[    Los Angeles    ] [**ab**] [long]",
            "{{cut Location.City \"e\"}} {{cut Location.City}}|Los Angls LosAngeles",
            "{{inflect 3 \"apple\" \"apples\" includeCount=false}} {{inflect 3 \"apple\" \"apples\" includeCount=true}} {{inflect 1 \"apple\" \"apples\"}}|apples 3 apples apple",
            "{{join Attributes.FavoriteColors \", \"}} {{join Attributes.FavoriteColors \" // \" prefix=\"[\" suffix=\"]\"}}|red, blue, yellow [red // blue // yellow]",
            "[{{ljust Location.City 15}}] [{{ljust \"x\" 3 pad=\"-\"}}] [{{ljust \"x\" size=2}}]|[Los Angeles    ] [x--] [x ]",
            "{{lower User.UserAttributes.LastName.[0]}} {{lower \"ÀB\"}}|santos àb",
            "{{ordinalize User.UserAttributes.UserAge.[0]}} {{ordinalize 1}} {{ordinalize 2}} {{ordinalize 3}} {{ordinalize 11}} {{ordinalize 12}} {{ordinalize 13}} {{ordinalize 101}} {{ordinalize 111}}|22nd 1st 2nd 3rd 11th 12th 13th 101st 111th",
            "{{replace Location.City \" \" \"_\"}} {{replace \"aaa\" \"a\" \"bb\"}}|Los_Angeles bbbbbb",
            "[{{rjust Location.City 15}}] [{{rjust \"7\" 3 pad=\"0\"}}]|[    Los Angeles] [007]",
            "{{slugify Location.City}} {{slugify \"  Hello, World 2 -- you_too! \"}}|los-angeles hello-world-2-you_too",
            "{{stripTags User.UserAttributes.interests.[0]}} {{stripTags \"a<b\"}} {{stripTags \"<p>x</p>y\"}}|Art a<b xy",
            "{{substring Location.City 4 9}} {{substring Location.City 4}} [{{substring \"abc\" 5}}]|Angel Angeles []",
            "{{upper User.UserAttributes.LastName.[0]}}|SANTOS",
            "{{yesno Attributes.IsUserSubscribed}} {{yesno false}} {{yesno Attributes.Missing}} {{yesno true yes=\"Yes\"}} {{yesno Attributes.Missing maybe=\"?\"}}|yes no maybe Yes ?",
            // Dates: the clock is 2020-09-19T17:30:00Z.
            "{{dateFormat User.UserAttributes.StartDate.[0] inputFormat=\"MM/dd/yyyy\" outputFormat=\"full\" tz=America/Los_Angeles}}|Saturday, September 19, 2020",
            "{{dateFormat \"2020-09-19\" outputFormat=\"long\"}} ; {{dateFormat CreationDate}} ; {{dateFormat CreationDate outputFormat=\"short\"}}|September 19, 2020 ; Sep 1, 2020 ; 9/1/20",
            "{{dateFormat \"2020-09-20T02:00:00Z\" outputFormat=\"yyyy-MM-dd HH:mm\" tz=\"America/Los_Angeles\"}} {{dateFormat \"1600560000000\" outputFormat=\"yyyy-MM-dd\"}}|2020-09-19 19:00 2020-09-20",
            "[{{dateFormat Attributes.Missing}}]|[]",
            "{{now \"yyyy-MM-dd HH:mm\" tz=America/Los_Angeles}} {{now \"HH:mm\" tz=Demographic.Timezone}} {{now \"HH:mm\"}}|2020-09-19 10:30 10:30 17:30",
            "{{now}} ; {{now \"medium\" tz=America/Los_Angeles}} ; {{now \"full\"}} ; {{now \"HH:mm z\" tz=\"Asia/Tokyo\"}}|Sep 19, 2020 ; Sep 19, 2020 ; Saturday, September 19, 2020 ; 02:30 JST",
            // Math and encoding.
            "{{add 5 2.3}} {{add \"1\" Metrics.visits}} {{add -1 1}}|7.3 13 0",
            "{{ceiling 5.23}} {{ceiling -5.23}}|6 -5",
            "{{decode64 \"SGVsbG8gV29ybGQ=\"}}|Hello World",
            "{{divide 5 2.3}} {{divide 10 4}} {{divide Metrics.visits 3}}|2.17391304 2.5 4",
            "{{encode64 \"Hello World\"}}|SGVsbG8gV29ybGQ=",
            "{{floor 5.23}} {{floor -5.23}}|5 -6",
            "{{md5 \"Hello World\"}}|b10a8db164e0754105b7a99be72e3fe5",
            "{{modulo 7 2}} {{modulo 7.5 2}}|1 1.5",
            "{{multiply 5 2.3}} {{multiply Metrics.score 2}}|11.5 7",
            "You spent {{round 19.21}} minutes, {{round 19.5}}|You spent 19 minutes, 20",
            "{{sha256 \"Hello World\"}}|a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e",
            "{{sha512 \"Hello World\"}}|2c74fd17edafd80e8447b0d46741ee243b7eb74dd2149a0ab1b9246fb30382f27e853d8585719e0e67cbda0daa8f51671064615d645ae27acb15bfb1447f459b",
            "{{subtract 5 2.3}}|2.7",
            "{{add 1 (multiply 2 (round 3.5))}}|9",
    })
    void helpersAnswerAsPinpointDocuments(String template, String expected) {
        assertThat(fixture.text(template)).isEqualTo(expected);
        Matcher helper = HELPER.matcher(template);
        while (helper.find()) {
            TESTED.add(helper.group(1));
        }
    }

    @Test
    void uuidIsRandomEachTime() {
        String first = fixture.text("{{uuid}}");
        assertThat(first).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(fixture.text("{{uuid}}")).isNotEqualTo(first);
        TESTED.add("uuid");
    }

    @Test
    void eachVisitsAtMostFifteenItems() {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            list.append(i == 0 ? "" : ",").append('"').append(i).append('"');
        }
        String defaults = "{\"Attributes.Many\":" + list.append(']') + "}";
        String rendered = fixture.render("TextPart", "{{#each Attributes.Many}}{{this}}{{#if @last}}.{{else}},{{/if}}{{/each}}",
                RenderFixture.endpoint(), java.util.Optional.of(defaults), java.util.Map.of());
        assertThat(rendered).isEqualTo("0,1,2,3,4,5,6,7,8,9,10,11,12,13,14.");
        TESTED.add("each");
    }

    @Test
    void inlinePartialsAreReused() {
        String template = "{{#* inline \"fullName\"}}{{User.UserAttributes.FirstName.[0]}}"
                + "{{#if User.UserAttributes.LastName.[0]}} {{User.UserAttributes.LastName.[0]}}{{/if}}{{/inline}}"
                + "Hello {{> fullName}}! Bye {{> fullName}}.";
        assertThat(fixture.text(template)).isEqualTo("Hello Jane Santos! Bye Jane Santos.");
        assertThat(fixture.html("{{#* inline \"x\"}}<b>{{User.UserAttributes.interests}}</b>{{/inline}}{{> x}}"))
                .isEqualTo("<b>&lt;h1&gt;Art&lt;/h1&gt;</b>");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{{divide 1 0}}|divide: division by zero",
            "{{modulo 1 0}}|modulo: division by zero",
            "{{add Location.City 1}}|add: the first value must be a number, not 'Los Angeles'",
            "{{multiply 2 Attributes.Missing}}|multiply: the second value must be a number, not ''",
            "{{round \"1e999\"}}|round: the number has more than 400 digits",
            "{{ordinalize 2.5}}|ordinalize: the value must be a whole number, not '2.5'",
            "{{abbreviate Location.City 2}}|abbreviate: the width must be at least 4",
            "{{abbreviate Location.City -1}}|abbreviate: the width must be a whole number from 0",
            "{{ljust Location.City 100000}}|ljust: the width must be a whole number from 0 to 10000",
            "{{center Location.City}}|center: give the width",
            "{{substring Location.City}}|substring: give the start offset",
            "{{replace Location.City \"x\"}}|replace: give the text to replace and its replacement",
            "{{decode64 \"***\"}}|decode64: the value is not Base64",
            "{{dateFormat \"19/09/2020\"}}|dateFormat: the date '19/09/2020' is not an ISO 8601 date",
            "{{dateFormat \"2020\" inputFormat=\"MM/dd/yyyy\"}}|does not match inputFormat 'MM/dd/yyyy'",
            "{{dateFormat \"2020-01-01\" outputFormat=\"qqq\"}}|dateFormat: the format 'qqq' is not full, long, medium, short",
            "{{now tz=\"Mars/Olympus\"}}|now: tz 'Mars/Olympus' is not a time zone ID",
            "{{inflect \"many\" \"a\" \"b\"}}|inflect: the count must be a number, not 'many'",
            "{{log \"x\"}}|the helper 'log' is not one Pinpoint's templates offer",
            "{{shout Location.City}}|could not find helper: 'shout'",
            "{{> missing}}|missing",
            "{{#each Attributes.FavoriteColors}}{{divide 1 0}}{{/each}}|divide: division by zero",
    })
    void aHelperGivenWhatItCannotUseFailsThePartByName(String template, String reason) {
        assertThatThrownBy(() -> fixture.text(template)).isInstanceOf(RenderingFailure.class)
                .hasMessageStartingWith("TextPart could not be rendered: ").hasMessageContaining(reason);
    }

    @AfterAll
    static void everyDocumentedHelperHasACase() {
        Set<String> missing = new HashSet<>(PinpointHandlebars.PINPOINT_HELPERS);
        missing.removeAll(TESTED);
        assertThat(missing).as("helpers without a case").isEmpty();
    }
}
