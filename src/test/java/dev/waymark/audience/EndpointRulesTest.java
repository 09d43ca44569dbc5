package dev.waymark.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final EndpointRules rules = new EndpointRules(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void idsAreCaseInsensitiveAndRefuseTheReservedCharacters() {
        assertThat(EndpointRules.key("AbC-1")).isEqualTo("abc-1");
        EndpointRules.checkId("x".repeat(128));
        assertThatThrownBy(() -> EndpointRules.checkId("x".repeat(129))).hasMessageContaining("the limit is 128");
        for (String bad : List.of("a$", "{a", "a}")) {
            assertThatThrownBy(() -> EndpointRules.checkId(bad)).isInstanceOf(RuleViolation.class)
                    .hasMessageContaining("must not contain");
        }
        assertThatThrownBy(() -> EndpointRules.checkId("")).hasMessageContaining("must not be empty");
    }

    @Test
    void membersSentReplaceAndMembersOmittedAreKept() {
        Endpoint first = rules.merge("app", "Ep", json("{\"Address\":\"a\",\"ChannelType\":\"SMS\","
                + "\"Attributes\":{\"x\":[\"1\"],\"y\":[\"2\"]},\"Demographic\":{\"Platform\":\"ios\"}}"), Optional.empty());
        assertThat(first.createdMs()).isEqualTo(NOW.toEpochMilli());
        assertThat(first.status()).isEqualTo("ACTIVE");
        assertThat(first.effectiveDate()).isEqualTo("2026-03-01T12:00:00.000Z");
        Endpoint second = rules.merge("app", "EP", json("{\"Attributes\":{\"x\":[\"3\"]},"
                + "\"Demographic\":{\"Locale\":\"en_US\"},\"EffectiveDate\":\"2025-01-01T00:00:00Z\"}"),
                Optional.of(first.withStatus("INACTIVE")));
        assertThat(second.id()).isEqualTo("Ep");
        assertThat(second.address()).isEqualTo("a");
        assertThat(second.status()).isEqualTo("ACTIVE");
        assertThat(second.attributes().toString()).isEqualTo("{\"x\":[\"3\"],\"y\":[\"2\"]}");
        assertThat(second.demographic().toString()).isEqualTo("{\"Platform\":\"ios\",\"Locale\":\"en_US\"}");
        assertThat(second.cohortId()).isEqualTo(first.cohortId());
        assertThat(second.effectiveMs()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void cohortsAreStableAndSpreadOverAHundred() {
        assertThat(EndpointRules.cohort("app", "e1")).isEqualTo(EndpointRules.cohort("app", "e1"));
        Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            int cohort = EndpointRules.cohort("app", "endpoint-" + i);
            assertThat(cohort).isBetween(0, 99);
            seen.add(cohort);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void checksNameTheMemberAndTheLimit() {
        assertThatThrownBy(() -> rules.check(json("{\"Attributes\":{\"" + "n".repeat(51) + "\":[\"v\"]}}")))
                .hasMessageContaining("Attributes name").hasMessageContaining("the limit is 50");
        assertThatThrownBy(() -> rules.check(json("{\"OptOut\":\"MAYBE\"}"))).hasMessageContaining("OptOut");
        assertThatThrownBy(() -> rules.check(json("{\"Demographic\":{\"Timezone\":\"UTC+3\"}}")))
                .hasMessageContaining("Demographic.Timezone");
        assertThatThrownBy(() -> rules.check(json("{\"Location\":{\"Latitude\":-90.5}}")))
                .hasMessageContaining("Location.Latitude");
        rules.check(json("{\"EffectiveDate\":\"2026-01-01\",\"Demographic\":{\"Timezone\":\"Europe/Paris\"}}"));
    }

    @Test
    void theSixteenthEndpointOfAUser() {
        List<UserRules.Member> fifteen = new java.util.ArrayList<>();
        for (int i = 0; i < 14; i++) {
            fifteen.add(new UserRules.Member("sms" + i, "SMS", i));
        }
        fifteen.add(new UserRules.Member("push-b", "GCM", 50));
        assertThat(UserRules.admit("u", fifteen.subList(0, 14), new UserRules.Member("x", "EMAIL", 0), Set.of()))
                .isEmpty();
        assertThatThrownBy(() -> UserRules.admit("u", fifteen, new UserRules.Member("x", "EMAIL", 0), Set.of()))
                .hasMessageContaining("the limit is 15 endpoints per user");
        assertThat(UserRules.admit("u", fifteen, new UserRules.Member("x", "APNS", 0), Set.of())).contains("push-b");
        assertThatThrownBy(() -> UserRules.admit("u", fifteen, new UserRules.Member("x", "APNS", 0), Set.of("push-b")))
                .hasMessageContaining("none of them is a push endpoint");
    }

    @Test
    void globsAndTheNameCount() {
        List<AttributeRules.Glob> globs = List.of(AttributeRules.glob("colo*"), AttributeRules.glob("a?c"), AttributeRules.glob("x.y"));
        assertThat(AttributeRules.matchesAny("colour", globs)).isTrue();
        assertThat(AttributeRules.matchesAny("abc", globs)).isTrue();
        assertThat(AttributeRules.matchesAny("abbc", globs)).isFalse();
        assertThat(AttributeRules.matchesAny("xzy", globs)).isFalse();
        AttributeRules.checkCount(249, 1);
        assertThatThrownBy(() -> AttributeRules.checkCount(250, 1)).hasMessageContaining("the limit is 250 per app");
        assertThatThrownBy(() -> AttributeRules.kind("endpoint-all")).hasMessageContaining("attribute-type");
    }

    @Test
    void globsMatchLikeShellGlobsWithoutBacktracking() {
        String[][] cases = {{"*", ""}, {"*", "abc"}, {"a*", "a"}, {"*a", "ba"}, {"a*b*c", "aXbYc"}, {"a*b", "ab"},
            {"?", "é"}, {"*x*", "axb"}, {"a**b", "ab"}, {"*ab", "aab"}, {"a*a*b", "aaab"}, {"東*", "東京"}};
        for (String[] match : cases) {
            assertThat(AttributeRules.glob(match[0]).matches(match[1])).as(match[0] + " ~ " + match[1]).isTrue();
        }
        String[][] misses = {{"?", ""}, {"a*", "b"}, {"*a", "ab"}, {"a?c", "ac"}, {"a*b*c", "aXbY"}, {"ab", "abc"}};
        for (String[] miss : misses) {
            assertThat(AttributeRules.glob(miss[0]).matches(miss[1])).as(miss[0] + " !~ " + miss[1]).isFalse();
        }
        // A regex translation of this glob backtracks for hours on the name; the glob answers at once.
        long start = System.nanoTime();
        assertThat(AttributeRules.glob("*a".repeat(49) + "*b").matches("a".repeat(50))).isFalse();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(1));
    }

    @Test
    void anEffectiveDateOutsideEpochMillisIsARuleViolation() {
        for (String date : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+999999999-12-31")) {
            assertThatThrownBy(() -> EndpointRules.effectiveMillis(date)).isInstanceOf(RuleViolation.class)
                    .hasMessageContaining("EffectiveDate");
        }
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) Json.parseStored(text);
    }
}
