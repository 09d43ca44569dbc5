package dev.waymark.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules of an Update*Channel request (already read against its shape, so required members are present): each
 * member's form and bounds, and the credentials a push channel needs. Pinpoint asks for a push channel's credentials
 * with every update ("Missing credentials"); Waymark keeps only that they were given.
 */
public final class ChannelRules {
    /** The most characters a stored setting may have: an ARN's limit, far above any real value. */
    static final int MAX_SETTING_CHARS = 2048;
    /** The most characters a secret may have: a certificate chain or a service-account file is a few KB. */
    static final int MAX_SECRET_CHARS = 16 * 1024;
    /** RFC 5321's limit on an address (64 + 1 + 255), with room for a display name. */
    static final int MAX_FROM_ADDRESS_CHARS = 320;

    private static final String ADDRESS_CHAR = "[^\\s@<>(),;:\"\\[\\]\\\\]";
    private static final String DOMAIN_LABEL = "[^\\s@<>(),;:\"\\[\\]\\\\.]+";
    /** A local part of at most 64 characters (RFC 5321), an at sign, a domain of two labels or more. */
    private static final Pattern ADDRESS = Pattern.compile(ADDRESS_CHAR + "{1,64}@" + DOMAIN_LABEL + "(\\."
            + DOMAIN_LABEL + ")+");
    private static final Pattern NAMED_ADDRESS = Pattern.compile("[^<>]*<([^<>]+)>");
    private static final Pattern SES_IDENTITY = Pattern.compile("arn:[^:\\s]+:ses:[^:\\s]*:[^:\\s]*:identity/\\S+");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:[^:\\s]+:iam::[^:\\s]*:role/\\S+");
    private static final Pattern CONFIGURATION_SET = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SENDER_ID = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9]{1,11}");
    private static final Pattern SHORT_CODE = Pattern.compile("\\+?[0-9]{3,15}");
    private static final Pattern APPLE_ID = Pattern.compile("[A-Za-z0-9]{10}");
    private static final Pattern BUNDLE_ID = Pattern.compile("[A-Za-z0-9.-]{1,155}");

    private ChannelRules() {}

    /** Checks the request of {@code kind}'s update; what it changes, its secrets left behind. */
    public static ChannelUpdate check(ChannelKind kind, ObjectNode request) {
        ObjectNode settings = Json.MAPPER.createObjectNode();
        SortedSet<String> credentials = new TreeSet<>();
        for (Map.Entry<String, JsonNode> member : request.properties()) {
            String name = member.getKey();
            if (name.equals("Enabled")) {
                continue;
            }
            String value = member.getValue().textValue();
            if (value.isBlank()) {
                throw new RuleViolation(name + " must not be empty");
            }
            if (kind.secrets().contains(name)) {
                if (value.length() > MAX_SECRET_CHARS) {
                    throw new RuleViolation(name + " must be at most " + MAX_SECRET_CHARS + " characters");
                }
                credentials.add(name);
            } else {
                if (value.length() > MAX_SETTING_CHARS) {
                    throw new RuleViolation(name + " must be at most " + MAX_SETTING_CHARS + " characters");
                }
                settings.put(name, value);
            }
        }
        switch (kind) {
            case EMAIL -> checkEmail(settings);
            case SMS -> checkSms(settings);
            case GCM -> checkGcm(request, settings, credentials);
            case APNS, APNS_SANDBOX, APNS_VOIP, APNS_VOIP_SANDBOX -> checkApns(request, settings, credentials);
            case VOICE, BAIDU, ADM -> { }
        }
        Optional<Boolean> enabled = request.has("Enabled")
                ? Optional.of(request.get("Enabled").booleanValue()) : Optional.empty();
        return new ChannelUpdate(kind, enabled, settings, credentials);
    }

    /** Whether {@code text} is an email address, alone or as {@code Display Name <address>}. */
    public static boolean isFromAddress(String text) {
        // A control character (CR or LF above all) in the display name would make the SMTP transport refuse every
        // message of the channel; it is refused here, where the client learns which field is wrong.
        if (text.length() > MAX_FROM_ADDRESS_CHARS || text.chars().anyMatch(Character::isISOControl)) {
            return false;
        }
        java.util.regex.Matcher named = NAMED_ADDRESS.matcher(text.strip());
        String address = named.matches() ? named.group(1) : text;
        return ADDRESS.matcher(address).matches();
    }

    private static void checkEmail(ObjectNode settings) {
        String from = settings.get("FromAddress").textValue();
        if (!isFromAddress(from)) {
            throw new RuleViolation("FromAddress must be an email address (sender@example.com, or "
                    + "Name <sender@example.com>) of at most " + MAX_FROM_ADDRESS_CHARS + " characters, not '"
                    + shown(from) + "'");
        }
        match(settings, "Identity", SES_IDENTITY,
                "the ARN of an Amazon SES identity (arn:aws:ses:<region>:<account>:identity/<domain or address>)");
        match(settings, "ConfigurationSet", CONFIGURATION_SET,
                "an Amazon SES configuration set name: 1 to 64 letters, digits, '_' and '-'");
        match(settings, "RoleArn", ROLE_ARN, "the ARN of an IAM role (arn:aws:iam::<account>:role/<name>)");
        match(settings, "OrchestrationSendingRoleArn", ROLE_ARN,
                "the ARN of an IAM role (arn:aws:iam::<account>:role/<name>)");
    }

    private static void checkSms(ObjectNode settings) {
        match(settings, "SenderId", SENDER_ID, "1 to 11 letters and digits, at least one a letter");
        match(settings, "ShortCode", SHORT_CODE, "a short code or number of 3 to 15 digits");
    }

    private static void checkGcm(ObjectNode request, ObjectNode settings, SortedSet<String> credentials) {
        if (credentials.isEmpty()) {
            throw new RuleViolation("Missing credentials: give ApiKey (DefaultAuthenticationMethod KEY) or "
                    + "ServiceJson (DefaultAuthenticationMethod TOKEN)");
        }
        if (credentials.contains("ServiceJson")) {
            checkServiceJson(request.get("ServiceJson").textValue());
        }
        String method = method(settings, "KEY", "TOKEN",
                credentials.contains("ApiKey") ? "KEY" : "TOKEN");
        if (method.equals("KEY") && !credentials.contains("ApiKey")) {
            throw new RuleViolation("ApiKey is required when DefaultAuthenticationMethod is KEY");
        }
        if (method.equals("TOKEN") && !credentials.contains("ServiceJson")) {
            throw new RuleViolation("ServiceJson is required when DefaultAuthenticationMethod is TOKEN");
        }
    }

    private static void checkServiceJson(String serviceJson) {
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(serviceJson);
        } catch (JsonProcessingException e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isObject()) {
            throw new RuleViolation("ServiceJson must be the JSON object of a Firebase service-account key file");
        }
    }

    private static void checkApns(ObjectNode request, ObjectNode settings, SortedSet<String> credentials) {
        boolean certificate = credentials.contains("Certificate");
        boolean token = credentials.contains("TokenKey");
        if (certificate != credentials.contains("PrivateKey")) {
            throw new RuleViolation(certificate ? "PrivateKey is required with Certificate"
                    : "Certificate is required with PrivateKey");
        }
        if (!certificate && !token) {
            throw new RuleViolation("Missing credentials: give Certificate and PrivateKey, or TokenKey with "
                    + "TokenKeyId, TeamId and BundleId");
        }
        if (certificate) {
            pem(request, "Certificate", "CERTIFICATE");
            pem(request, "PrivateKey", "PRIVATE KEY");
        }
        if (token) {
            for (String member : new String[] {"TokenKeyId", "TeamId", "BundleId"}) {
                if (!settings.has(member)) {
                    throw new RuleViolation(member + " is required with TokenKey");
                }
            }
        }
        match(settings, "TokenKeyId", APPLE_ID, "the 10-character identifier of an APNs signing key");
        match(settings, "TeamId", APPLE_ID, "the 10-character identifier of an Apple developer team");
        match(settings, "BundleId", BUNDLE_ID, "an app's bundle identifier (letters, digits, '.' and '-')");
        String method = method(settings, "CERTIFICATE", "TOKEN", certificate ? "CERTIFICATE" : "TOKEN");
        if (method.equals("CERTIFICATE") && !certificate) {
            throw new RuleViolation("Certificate and PrivateKey are required when DefaultAuthenticationMethod is "
                    + "CERTIFICATE");
        }
        if (method.equals("TOKEN") && !token) {
            throw new RuleViolation("TokenKey is required when DefaultAuthenticationMethod is TOKEN");
        }
    }

    /** The DefaultAuthenticationMethod sent (either spelling of case), else {@code otherwise}; stored upper case. */
    private static String method(ObjectNode settings, String one, String other, String otherwise) {
        String method = Optional.ofNullable(settings.get("DefaultAuthenticationMethod")).map(JsonNode::textValue)
                .map(value -> value.toUpperCase(Locale.ROOT)).orElse(otherwise);
        if (!method.equals(one) && !method.equals(other)) {
            throw new RuleViolation("DefaultAuthenticationMethod must be " + one + " or " + other + ", not '"
                    + shown(settings.get("DefaultAuthenticationMethod").textValue()) + "'");
        }
        settings.put("DefaultAuthenticationMethod", method);
        return method;
    }

    /** A PEM member must at least have its armour: anything else cannot be a certificate or a key. */
    private static void pem(ObjectNode request, String member, String label) {
        String text = request.get(member).textValue();
        if (!text.contains("-----BEGIN ") || !text.contains(label + "-----")) {
            throw new RuleViolation(member + " must be PEM text (-----BEGIN " + label + "----- ...)");
        }
    }

    private static void match(ObjectNode settings, String member, Pattern pattern, String what) {
        JsonNode value = settings.get(member);
        if (value != null && !pattern.matcher(value.textValue()).matches()) {
            throw new RuleViolation(member + " must be " + what + ", not '" + shown(value.textValue()) + "'");
        }
    }

    /** A value quoted in a refusal, cut short: a refusal must not echo a whole oversized value back. */
    private static String shown(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "…";
    }
}
