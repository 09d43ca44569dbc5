package dev.waymark.auth;

import java.util.Optional;
import java.util.Set;

/** Who sent a request and what it may do: an access key's scope, or everything when authentication is off. */
public record Caller(Optional<String> accessKeyId, boolean admin, Set<String> apps, boolean readOnly) {
    /** Every request under {@code --auth none}. */
    public static final Caller UNRESTRICTED = new Caller(Optional.empty(), true, Set.of(), false);

    public static Caller of(AccessKey key) {
        return new Caller(Optional.of(key.id()), key.admin(), key.apps(), key.readOnly());
    }

    public boolean mayUse(String appId) {
        return admin || apps.contains(appId);
    }

    /** How the caller is named in refusals. */
    String name() {
        return accessKeyId.map(id -> "The access key " + id).orElse("This caller");
    }
}
