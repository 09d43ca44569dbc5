package dev.waymark.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An endpoint's time zone (engine.md E1): Demographic.Timezone when java.time knows it, else an estimate by
 * TimezoneEstimationMethods in order (PHONE_NUMBER with libphonenumber's time-zone mapper, POSTAL_CODE where the
 * country has one zone).
 *
 * <p>Demographic.Timezone is whatever {@link ZoneId#of} accepts: an IANA region ("America/New_York") or a fixed
 * offset ("+05:30", "UTC+01"), which has no daylight saving. PHONE_NUMBER estimates only when libphonenumber maps the
 * number to exactly one zone: a number of a country or area spanning several zones (a US toll-free number, an
 * Australian mobile) is not estimated, since a wrong zone sends at night. POSTAL_CODE estimates only for countries
 * with one zone ({@link #SINGLE_ZONE}); the US, Canada, Australia and others would need a postal-code table Waymark
 * does not have, and are not estimated.
 */
public final class TimeZoneRules {
    /**
     * Countries whose whole territory under their own ISO code keeps one IANA zone's time, for POSTAL_CODE. Spain is
     * here with its Canary Islands (postal codes 35 and 38) read apart; France without its overseas departments
     * (postal codes 97 and 98), which are not estimated; New Zealand's Chatham Islands (UTC+12:45) would be given
     * Auckland's time, 45 minutes off, since no postal code tells them apart reliably.
     */
    static final Map<String, String> SINGLE_ZONE = Map.ofEntries(
            Map.entry("AT", "Europe/Vienna"), Map.entry("BE", "Europe/Brussels"), Map.entry("CH", "Europe/Zurich"),
            Map.entry("CZ", "Europe/Prague"), Map.entry("DE", "Europe/Berlin"), Map.entry("DK", "Europe/Copenhagen"),
            Map.entry("ES", "Europe/Madrid"), Map.entry("FI", "Europe/Helsinki"), Map.entry("FR", "Europe/Paris"),
            Map.entry("GB", "Europe/London"), Map.entry("GR", "Europe/Athens"), Map.entry("HU", "Europe/Budapest"),
            Map.entry("IE", "Europe/Dublin"), Map.entry("IN", "Asia/Kolkata"), Map.entry("IT", "Europe/Rome"),
            Map.entry("JP", "Asia/Tokyo"), Map.entry("KR", "Asia/Seoul"), Map.entry("NL", "Europe/Amsterdam"),
            Map.entry("NO", "Europe/Oslo"), Map.entry("NZ", "Pacific/Auckland"), Map.entry("PL", "Europe/Warsaw"),
            Map.entry("SE", "Europe/Stockholm"), Map.entry("SG", "Asia/Singapore"));
    private static final String UNKNOWN_ZONE = "Etc/Unknown";
    /** An address that can only be a phone number: digits with the usual separators, an optional leading +. */
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?[0-9][0-9 ()./-]{5,30}");

    private TimeZoneRules() {}

    /** The zone and whether it was estimated; zone empty when neither the endpoint nor an estimate gives one. */
    public record Resolution(Optional<ZoneId> zone, boolean estimated) {}

    private static final Resolution NONE = new Resolution(Optional.empty(), false);

    /** {@code endpoint} is EndpointResponse JSON; {@code methods} the journey's TimezoneEstimationMethods. */
    public static Resolution resolve(ObjectNode endpoint, List<String> methods) {
        Optional<ZoneId> own = text(endpoint.path("Demographic"), "Timezone").flatMap(TimeZoneRules::zone);
        if (own.isPresent()) {
            return new Resolution(own, false);
        }
        for (String method : methods) {
            Optional<ZoneId> estimate = switch (method) {
                case "PHONE_NUMBER" -> byPhone(endpoint);
                case "POSTAL_CODE" -> byPostalCode(endpoint.path("Location"));
                default -> Optional.empty();
            };
            if (estimate.isPresent()) {
                return new Resolution(estimate, true);
            }
        }
        return NONE;
    }

    private static Optional<ZoneId> zone(String name) {
        try {
            return Optional.of(ZoneId.of(name.trim()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<ZoneId> byPhone(ObjectNode endpoint) {
        Optional<String> address = text(endpoint, "Address");
        String channel = endpoint.path("ChannelType").asText("");
        if (address.isEmpty() || !(channel.equals("SMS") || channel.equals("VOICE")
                || PHONE_LIKE.matcher(address.get().trim()).matches())) {
            return Optional.empty();
        }
        // Without a country only a number in international form (+...) parses.
        String region = text(endpoint.path("Location"), "Country").map(c -> c.toUpperCase(Locale.ROOT)).orElse("ZZ");
        PhoneNumber number;
        try {
            number = PhoneNumberUtil.getInstance().parse(address.get(), region);
        } catch (NumberParseException e) {
            return Optional.empty();
        }
        List<String> zones = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number);
        return zones.size() == 1 && !zones.get(0).equals(UNKNOWN_ZONE) ? zone(zones.get(0)) : Optional.empty();
    }

    private static Optional<ZoneId> byPostalCode(JsonNode location) {
        Optional<String> postalCode = text(location, "PostalCode").map(String::trim).filter(code -> !code.isEmpty());
        Optional<String> country = text(location, "Country").map(c -> c.toUpperCase(Locale.ROOT));
        if (postalCode.isEmpty() || country.isEmpty() || !SINGLE_ZONE.containsKey(country.get())) {
            return Optional.empty();
        }
        String code = postalCode.get();
        if (country.get().equals("ES") && (code.startsWith("35") || code.startsWith("38"))) {
            return zone("Atlantic/Canary");
        }
        if (country.get().equals("FR") && (code.startsWith("97") || code.startsWith("98"))) {
            return Optional.empty();
        }
        return zone(SINGLE_ZONE.get(country.get()));
    }

    private static Optional<String> text(JsonNode parent, String member) {
        JsonNode value = parent.get(member);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? Optional.of(value.textValue())
                : Optional.empty();
    }
}
