package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The transports follow the operator's settings, and a wrong setting is refused naming its flag. */
class TransportsTest {
    private static final String SECRET = "a-secret-of-24-characters";

    @Test
    void buildsATransportForEachConfiguredChannelAndCustomAlways() {
        Map<Channel, Transport> none = Transports.open(DeliverySettings.NONE);
        assertThat(none.keySet()).containsExactly(Channel.CUSTOM);
        none.values().forEach(Transport::close);

        Map<Channel, Transport> all = Transports.open(settings(Optional.of("smtps://u:p@mail.example.com"),
                Optional.of("https://hooks.example.com/sms"), Optional.of(SECRET), false));
        assertThat(all.keySet()).containsExactly(Channel.EMAIL, Channel.SMS, Channel.CUSTOM);
        assertThat(all).allSatisfy((channel, transport) -> assertThat(transport.channel()).isEqualTo(channel));
        all.values().forEach(Transport::close);
    }

    @Test
    void refusesWrongSettingsNamingTheFlag() {
        assertThatThrownBy(() -> Transports.open(settings(Optional.empty(), Optional.of("https://h.example.com/sms"),
                Optional.empty(), false))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--webhook-secret is required");
        assertThatThrownBy(() -> Transports.open(settings(Optional.empty(), Optional.of("https://h.example.com/sms"),
                Optional.of("short"), false))).hasMessageContaining("--webhook-secret must have at least 16");
        assertThatThrownBy(() -> Transports.open(settings(Optional.empty(), Optional.of("http://h.example.com/sms"),
                Optional.of(SECRET), false))).hasMessageContaining("--sms-webhook").hasMessageContaining(
                "--allow-http-delivery");
        assertThatThrownBy(() -> Transports.open(settings(Optional.empty(), Optional.of("ftp://h.example.com/sms"),
                Optional.of(SECRET), true))).hasMessageStartingWith("--sms-webhook must be an https:// URL");
        assertThatThrownBy(() -> Transports.open(settings(Optional.of("http://mail.example.com"), Optional.empty(),
                Optional.empty(), false))).hasMessageStartingWith("--smtp-url must start with smtp://");
        assertThatThrownBy(() -> Transports.open(settings(Optional.of("smtp://mail.example.com?auth=none"),
                Optional.empty(), Optional.empty(), false))).hasMessageStartingWith("--smtp-url takes no query");
    }

    @Test
    void httpWebhooksAreAcceptedWithTheFlag() {
        Map<Channel, Transport> transports = Transports.open(settings(Optional.empty(),
                Optional.of("http://127.0.0.1:9/sms"), Optional.of(SECRET), true));
        assertThat(transports).containsKey(Channel.SMS);
        transports.values().forEach(Transport::close);
    }

    private static DeliverySettings settings(Optional<String> smtp, Optional<String> sms, Optional<String> secret,
                                             boolean allowHttp) {
        return new DeliverySettings(smtp.map(URI::create), sms.map(URI::create), Optional.empty(), Optional.empty(),
                secret, allowHttp, Optional.empty(), Duration.ofSeconds(10));
    }
}
