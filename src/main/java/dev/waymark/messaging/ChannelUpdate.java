package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What one Update*Channel request changes, once its rules passed: Enabled when it was sent, the non-secret members
 * it sent (a push channel's DefaultAuthenticationMethod worked out when it was left out), and the names of the
 * secret members it carried, whose values are dropped here.
 */
public record ChannelUpdate(ChannelKind kind, Optional<Boolean> enabled, ObjectNode settings,
                            SortedSet<String> credentials) {

    /**
     * The settings after this update: members it sent replace the stored ones, members it left out keep their
     * value, so that {@code {"Enabled": false}} disables an SMS channel without losing its SenderId.
     */
    public ObjectNode settingsOver(ObjectNode stored) {
        ObjectNode merged = stored.deepCopy();
        merged.setAll(settings);
        return merged;
    }
}
