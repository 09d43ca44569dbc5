package dev.waymark.messaging;

import java.util.Optional;

/** An app's channels, for sending: direct sends and the engine refuse a channel that is absent or disabled. */
public interface ChannelLookup {
    /** The channel of this type ({@link ChannelState#type()} spelling) of the app, if it was ever updated. */
    Optional<ChannelState> find(String appId, String type);
}
