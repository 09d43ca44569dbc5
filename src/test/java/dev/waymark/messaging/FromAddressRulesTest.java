package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An email channel's FromAddress is refused when it is saved if the SMTP transport would refuse every message with it
 * (a display name holding a line break or another control character), rather than failing each message later.
 */
class FromAddressRulesTest {
    @Test
    void aDisplayNameWithALineBreakOrControlCharacterIsNotAFromAddress() {
        assertThat(ChannelRules.isFromAddress("Shop <shop@example.com>")).isTrue();
        assertThat(ChannelRules.isFromAddress("Shop\r\nBcc: victim@example.org <shop@example.com>")).isFalse();
        assertThat(ChannelRules.isFromAddress("Shop\n <shop@example.com>")).isFalse();
        assertThat(ChannelRules.isFromAddress("Shop\u0000 <shop@example.com>")).isFalse();
    }
}
