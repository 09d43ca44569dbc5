package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;

/**
 * An app's channel as stored: whether it is enabled, its non-secret settings, the names of the secret members its
 * last update carried (never their values), its version (1 when created, one more per update), when it was created
 * and last changed, and the access key that changed it when there was one.
 */
public record StoredChannel(String appId, ChannelKind kind, boolean enabled, ObjectNode settings,
                            SortedSet<String> credentials, int version, Instant created, Instant modified,
                            Optional<String> modifiedBy) {

    /** The channel as senders see it. */
    public ChannelState state() {
        return new ChannelState(kind.platform(), enabled, settings.deepCopy());
    }
}
