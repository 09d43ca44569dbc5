package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.engine.TimeZoneRules.Resolution;
import dev.waymark.wire.Json;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeZoneRulesTest {
    private static final List<String> PHONE = List.of("PHONE_NUMBER");
    private static final List<String> POSTAL = List.of("POSTAL_CODE");

    private static ObjectNode endpoint(String json) {
        return (ObjectNode) Json.parseStored(json.replace('\'', '"'));
    }

    private static Resolution estimated(String zone) {
        return new Resolution(Optional.of(ZoneId.of(zone)), true);
    }

    private static final Resolution NONE = new Resolution(Optional.empty(), false);

    @Test
    void theEndpointsOwnZoneWinsAndIsNotAnEstimate() {
        assertThat(TimeZoneRules.resolve(endpoint("{'Demographic':{'Timezone':'America/Chicago'},"
                + "'ChannelType':'SMS','Address':'+12127365000'}"), PHONE))
                .isEqualTo(new Resolution(Optional.of(ZoneId.of("America/Chicago")), false));
        assertThat(TimeZoneRules.resolve(endpoint("{'Demographic':{'Timezone':'+05:30'}}"), List.of()))
                .as("a fixed offset").isEqualTo(new Resolution(Optional.of(ZoneId.of("+05:30")), false));
    }

    @Test
    void anUnknownZoneNameFallsToTheEstimate() {
        assertThat(TimeZoneRules.resolve(endpoint("{'Demographic':{'Timezone':'Mars/Olympus'},"
                + "'ChannelType':'SMS','Address':'+12127365000'}"), PHONE)).isEqualTo(estimated("America/New_York"));
        assertThat(TimeZoneRules.resolve(endpoint("{'Demographic':{'Timezone':'Mars/Olympus'}}"), PHONE))
                .isEqualTo(NONE);
    }

    @Test
    void aPhoneNumberInOneZoneIsEstimated() {
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS','Address':'+1 212 736 5000'}"), PHONE))
                .isEqualTo(estimated("America/New_York"));
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS','Address':'+14155550123'}"), PHONE))
                .isEqualTo(estimated("America/Los_Angeles"));
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS','Address':'+33612345678'}"), PHONE))
                .isEqualTo(estimated("Europe/Paris"));
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'VOICE','Address':'+442079460958'}"), PHONE))
                .isEqualTo(estimated("Europe/London"));
    }

    @Test
    void aNationalNumberIsReadWithTheEndpointsCountry() {
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS','Address':'06 12 34 56 78',"
                + "'Location':{'Country':'FR'}}"), PHONE)).isEqualTo(estimated("Europe/Paris"));
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS','Address':'06 12 34 56 78'}"), PHONE))
                .as("no country").isEqualTo(NONE);
    }

    @Test
    void aNumberSpanningSeveralZonesIsNotEstimated() {
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS','Address':'+18005550199'}"), PHONE))
                .as("US toll-free").isEqualTo(NONE);
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS','Address':'+61412345678'}"), PHONE))
                .as("Australian mobile").isEqualTo(NONE);
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS','Address':'+999 12'}"), PHONE))
                .as("not a number").isEqualTo(NONE);
    }

    @Test
    void onlyAPhoneLikeAddressIsReadAsANumber() {
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'EMAIL','Address':'a@example.com',"
                + "'Location':{'Country':'US'}}"), PHONE)).isEqualTo(NONE);
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'CUSTOM','Address':'+12127365000'}"), PHONE))
                .as("a custom endpoint whose address is a number").isEqualTo(estimated("America/New_York"));
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS'}"), PHONE)).isEqualTo(NONE);
    }

    @Test
    void aPostalCodeInACountryWithOneZoneIsEstimated() {
        assertThat(TimeZoneRules.resolve(endpoint("{'Location':{'Country':'FR','PostalCode':'75001'}}"), POSTAL))
                .isEqualTo(estimated("Europe/Paris"));
        assertThat(TimeZoneRules.resolve(endpoint("{'Location':{'Country':'de','PostalCode':'10115'}}"), POSTAL))
                .isEqualTo(estimated("Europe/Berlin"));
        assertThat(TimeZoneRules.resolve(endpoint("{'Location':{'Country':'ES','PostalCode':'28001'}}"), POSTAL))
                .isEqualTo(estimated("Europe/Madrid"));
        assertThat(TimeZoneRules.resolve(endpoint("{'Location':{'Country':'ES','PostalCode':'35001'}}"), POSTAL))
                .as("Canary Islands").isEqualTo(estimated("Atlantic/Canary"));
        assertThat(TimeZoneRules.resolve(endpoint("{'Location':{'Country':'ES','PostalCode':'38001'}}"), POSTAL))
                .as("Canary Islands").isEqualTo(estimated("Atlantic/Canary"));
    }

    @Test
    void aPostalCodeThatNeedsATableIsNotEstimated() {
        assertThat(TimeZoneRules.resolve(endpoint("{'Location':{'Country':'US','PostalCode':'10001'}}"), POSTAL))
                .isEqualTo(NONE);
        assertThat(TimeZoneRules.resolve(endpoint("{'Location':{'Country':'FR','PostalCode':'97400'}}"), POSTAL))
                .as("La Réunion").isEqualTo(NONE);
        assertThat(TimeZoneRules.resolve(endpoint("{'Location':{'Country':'FR'}}"), POSTAL)).as("no postal code")
                .isEqualTo(NONE);
        assertThat(TimeZoneRules.resolve(endpoint("{'Location':{'PostalCode':'75001'}}"), POSTAL)).as("no country")
                .isEqualTo(NONE);
    }

    @Test
    void methodsAreTriedInTheJourneysOrderAndOnlyThoseListed() {
        String canary = "{'ChannelType':'SMS','Address':'+34912345678',"
                + "'Location':{'Country':'ES','PostalCode':'35001'}}";
        assertThat(TimeZoneRules.resolve(endpoint(canary), List.of("POSTAL_CODE", "PHONE_NUMBER")))
                .isEqualTo(estimated("Atlantic/Canary"));
        assertThat(TimeZoneRules.resolve(endpoint(canary), List.of("PHONE_NUMBER", "POSTAL_CODE")))
                .isEqualTo(estimated("Europe/Madrid"));
        assertThat(TimeZoneRules.resolve(endpoint(canary), List.of())).isEqualTo(NONE);
        assertThat(TimeZoneRules.resolve(endpoint("{'ChannelType':'SMS','Address':'+18005550199',"
                + "'Location':{'Country':'GB','PostalCode':'SW1A 1AA'}}"), List.of("PHONE_NUMBER", "POSTAL_CODE")))
                .as("the second method when the first gives nothing").isEqualTo(estimated("Europe/London"));
    }
}
