package dev.waymark.auth;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a key may do. Admin keys may do everything; a scoped key only acts on its apps, and a read-only one only
 * reads. Checked on the app id in the request, before the app is looked up, so that a refusal never tells a key
 * whether an app it may not see exists.
 */
public final class Permissions {
    private static final Set<String> ADMIN_ONLY = Set.of("CreateApp", "DeleteApp");
    private static final Pattern APP_IN_ARN = Pattern.compile("arn:[^:]*:mobiletargeting:[^:]*:[^:]*:apps/([^/]+)(/.*)?");

    private Permissions() {}

    public static void check(Caller caller, String method, String operation, Map<String, String> labels) {
        if (caller.admin()) {
            return;
        }
        if (ADMIN_ONLY.contains(operation)) {
            throw RequestAuthenticator.forbidden("Not allowed: " + operation + " needs an admin key; "
                    + caller.name() + " is scoped to apps");
        }
        String appId = appOf(labels);
        if (appId == null && !operation.equals("GetApps")) {
            throw RequestAuthenticator.forbidden("Not allowed: " + operation + " needs an admin key; "
                    + caller.name() + " is scoped to apps");
        }
        if (appId != null && !caller.mayUse(appId)) {
            throw RequestAuthenticator.forbidden("Not allowed: " + caller.name() + " may not use the application '"
                    + appId + "'");
        }
        if (caller.readOnly() && !method.equals("GET")) {
            throw RequestAuthenticator.forbidden("Not allowed: " + caller.name() + " is read-only; " + operation
                    + " changes data");
        }
    }

    private static String appOf(Map<String, String> labels) {
        String appId = labels.get("ApplicationId");
        if (appId != null) {
            return appId;
        }
        String arn = labels.get("ResourceArn");
        if (arn != null) {
            Matcher matcher = APP_IN_ARN.matcher(arn);
            // An ARN that names no app of this kind is checked as an app nobody scoped may use.
            return matcher.matches() ? matcher.group(1) : "";
        }
        return null;
    }
}
