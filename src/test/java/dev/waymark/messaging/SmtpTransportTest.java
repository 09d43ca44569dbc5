package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.waymark.wire.Json;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Email leaves through a real SMTP conversation: GreenMail, or a scripted server for STARTTLS and refusals. */
class SmtpTransportTest {
    /** Trusts GreenMail's self-signed certificate; only tests build a transport this way. */
    private static final Map<String, Object> TRUST_TEST_CERTIFICATE = Map.of(
            "mail.smtp.ssl.trust", "*", "mail.smtp.ssl.checkserveridentity", "false",
            "mail.smtps.ssl.trust", "*", "mail.smtps.ssl.checkserveridentity", "false");

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        // Clients before the servers they talk to: a server stopping waits for its open connections.
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void sendsHtmlAndTextAlternativesWithHeadersAndAKeyedMessageId() throws Exception {
        GreenMail mail = greenMail(false);
        SmtpTransport transport = transport("smtp://127.0.0.1:" + mail.getSmtp().getPort(), Map.of());

        Delivery delivery = transport.send(email("key-1", "ana@example.com", true, true));

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(delivery.statusCode()).isEqualTo(250);
        assertThat(delivery.providerMessageId()).contains("<key-1@waymark>");
        MimeMessage received = mail.getReceivedMessages()[0];
        assertThat(received.getMessageID()).isEqualTo("<key-1@waymark>");
        assertThat(received.getFrom()[0].toString()).isEqualTo("Waymark <news@example.com>");
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo("ana@example.com");
        assertThat(received.getSubject()).isEqualTo("Hello Ana ✓");
        assertThat(received.getHeader("X-Campaign")).containsExactly("spring");
        assertThat(received.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(0).getContent().toString()).contains("Hi Ana");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(parts.getBodyPart(1).getContent().toString()).contains("<b>Hi Ana</b>");
    }

    @Test
    void aSinglePartIsSentAsItself() throws Exception {
        GreenMail mail = greenMail(false);
        SmtpTransport transport = transport("smtp://127.0.0.1:" + mail.getSmtp().getPort(), Map.of());

        assertThat(transport.send(email("html-only", "ana@example.com", true, false)).outcome())
                .isEqualTo(Delivery.Outcome.DELIVERED);

        assertThat(mail.getReceivedMessages()[0].getContentType()).startsWith("text/html");
    }

    @Test
    void everyAttemptOfOneKeyCarriesTheSameMessageId() throws Exception {
        GreenMail mail = greenMail(false);
        SmtpTransport transport = transport("smtp://127.0.0.1:" + mail.getSmtp().getPort(), Map.of());

        transport.send(email("journey/j1:endpoint 7", "ana@example.com", false, true));
        transport.send(email("journey/j1:endpoint 7", "ana@example.com", false, true));
        transport.send(email("journey/j1:endpoint 8", "ana@example.com", false, true));

        MimeMessage[] received = mail.getReceivedMessages();
        assertThat(received[0].getMessageID()).isEqualTo(received[1].getMessageID())
                .isEqualTo("<journey=2Fj1=3Aendpoint=207@waymark>");
        assertThat(received[2].getMessageID()).isNotEqualTo(received[0].getMessageID());
        assertThat(SmtpTransport.messageId("k".repeat(300))).startsWith("<sha256.").endsWith("@waymark>");
    }

    @Test
    void authenticatesWithTheUrlsUserAndRetriesAWrongPassword() throws Exception {
        GreenMail mail = greenMail(false);
        mail.setUser("sender@example.com", "sender", "s3cr@t");
        int port = mail.getSmtp().getPort();

        Delivery good = transport("smtp://sender:s3cr%40t@127.0.0.1:" + port, Map.of())
                .send(email("auth-1", "ana@example.com", false, true));
        Delivery bad = transport("smtp://sender:wrong@127.0.0.1:" + port, Map.of())
                .send(email("auth-2", "ana@example.com", false, true));

        assertThat(good.outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(bad.outcome()).isEqualTo(Delivery.Outcome.TRANSIENT_FAILURE);
        assertThat(bad.statusCode()).isEqualTo(535);
        assertThat(bad.statusMessage()).contains("authentication failed");
        assertThat(mail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void smtpsTalksTlsFromTheFirstByte() throws Exception {
        GreenMail mail = greenMail(true);

        Delivery delivery = transport("smtps://127.0.0.1:" + mail.getSmtps().getPort(), TRUST_TEST_CERTIFICATE)
                .send(email("tls-1", "ana@example.com", false, true));

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(mail.getReceivedMessages()[0].getMessageID()).isEqualTo("<tls-1@waymark>");
    }

    @Test
    void anUntrustedCertificateIsRefusedByDefault() throws Exception {
        ScriptedSmtpServer server = scripted(true);

        Delivery strict = transport("smtp://127.0.0.1:" + server.port(), Map.of())
                .send(email("strict-1", "ana@example.com", false, true));

        assertThat(strict.outcome()).isEqualTo(Delivery.Outcome.TRANSIENT_FAILURE);
        assertThat(strict.statusMessage()).contains("SMTP connection failed").contains("certification path");
        assertThat(server.received).isEmpty();
    }

    @Test
    void upgradesWithStartTlsWhenOfferedAndRequiresItWhenAsked() throws Exception {
        ScriptedSmtpServer server = scripted(true);
        GreenMail plainOnly = greenMail(false);

        Delivery upgraded = transport("smtp://127.0.0.1:" + server.port(), TRUST_TEST_CERTIFICATE)
                .send(email("starttls-1", "ana@example.com", false, true));
        Delivery refused = transport("smtp://127.0.0.1:" + plainOnly.getSmtp().getPort() + "?starttls=required",
                TRUST_TEST_CERTIFICATE).send(email("starttls-2", "ana@example.com", false, true));

        assertThat(upgraded.outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(server.received).hasSize(1);
        assertThat(server.received.get(0).overTls()).isTrue();
        assertThat(server.received.get(0).data()).contains("Message-ID: <starttls-1@waymark>");
        assertThat(refused.outcome()).isEqualTo(Delivery.Outcome.TRANSIENT_FAILURE);
        assertThat(refused.statusMessage()).containsIgnoringCase("STARTTLS");
        assertThat(plainOnly.getReceivedMessages()).isEmpty();
    }

    @Test
    void classifiesTheServersRefusalsAndKeepsTheConnectionAfterAPermanentOne() throws Exception {
        ScriptedSmtpServer server = scripted(false);
        SmtpTransport transport = transport("smtp://127.0.0.1:" + server.port(), Map.of());

        server.rcptReply = "550 5.1.1 no such mailbox";
        Delivery unknownUser = transport.send(email("r-1", "ghost@example.com", false, true));
        server.rcptReply = "451 4.3.0 try again later";
        Delivery busy = transport.send(email("r-2", "ana@example.com", false, true));
        server.rcptReply = "250 2.1.5 ok";
        server.dataReply = "554 5.7.1 rejected as spam";
        Delivery spam = transport.send(email("r-3", "ana@example.com", false, true));
        server.dataReply = "452 4.3.1 mailbox full";
        Delivery full = transport.send(email("r-4", "ana@example.com", false, true));
        server.dataReply = "250 2.0.0 queued as 17";
        Delivery accepted = transport.send(email("r-5", "ana@example.com", false, true));

        assertThat(unknownUser).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.PERMANENT_FAILURE, 550);
        assertThat(unknownUser.statusMessage()).contains("no such mailbox");
        assertThat(busy).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.TRANSIENT_FAILURE, 451);
        assertThat(spam).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.PERMANENT_FAILURE, 554);
        assertThat(full).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.TRANSIENT_FAILURE, 452);
        assertThat(accepted).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.DELIVERED, 250);
        assertThat(accepted.statusMessage()).contains("queued as 17");
        // 5xx refusals keep the connection; each 4xx (451 and 452) opens a new one.
        assertThat(server.connections.get()).isEqualTo(3);
    }

    @Test
    void refusesBadAddressesAndHeaderInjectionWithoutSending() throws Exception {
        GreenMail mail = greenMail(false);
        SmtpTransport transport = transport("smtp://127.0.0.1:" + mail.getSmtp().getPort(), Map.of());
        ObjectNode injected = email("h-1", "ana@example.com", false, true).content().deepCopy();
        injected.withArray("Headers").addObject().put("Name", "X-Note").put("Value", "hi\r\nBcc: eve@example.com");
        ObjectNode tooMany = email("h-2", "ana@example.com", false, true).content().deepCopy();
        for (int i = 0; i < 15; i++) {
            tooMany.withArray("Headers").addObject().put("Name", "X-H" + i).put("Value", "v");
        }
        ObjectNode ownHeader = email("h-3", "ana@example.com", false, true).content().deepCopy();
        ownHeader.withArray("Headers").addObject().put("Name", "Message-ID").put("Value", "<other@x>");

        List<Delivery> deliveries = List.of(
                transport.send(email("a-1", "not an address", false, true)),
                transport.send(email("a-2", "ana@example.com\r\nBcc: eve@example.com", false, true)),
                transport.send(withContent(email("h-1", "ana@example.com", false, true), injected)),
                transport.send(withContent(email("h-2", "ana@example.com", false, true), tooMany)),
                transport.send(withContent(email("h-3", "ana@example.com", false, true), ownHeader)));

        assertThat(deliveries).allSatisfy(delivery -> {
            assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.PERMANENT_FAILURE);
            assertThat(delivery.statusCode()).isZero();
        });
        assertThat(deliveries.get(2).statusMessage()).contains("X-Note");
        assertThat(deliveries.get(3).statusMessage()).contains("16 entries");
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void aDeadPortIsATransientFailureQuickly() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SmtpTransport transport = transport("smtp://127.0.0.1:" + port, Map.of());

        long start = System.nanoTime();
        Delivery delivery = transport.send(email("dead-1", "ana@example.com", false, true));

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.TRANSIENT_FAILURE);
        assertThat(delivery.statusCode()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void sendsManySmallEmailsOverReusedConnections() throws Exception {
        GreenMail mail = greenMail(false);
        ScriptedSmtpServer relay = scripted(false);

        sendMany(transport("smtp://127.0.0.1:" + mail.getSmtp().getPort(), Map.of()), "GreenMail");
        sendMany(transport("smtp://127.0.0.1:" + relay.port(), Map.of()), "a minimal relay");

        assertThat(mail.getReceivedMessages()).hasSize(2 * 2_000 + 8);
        assertThat(relay.received).hasSize(2 * 2_000 + 8);
        assertThat(relay.connections.get()).isBetween(1, SmtpTransport.POOL_SIZE);
        assertThat(mail.getReceivedMessages()[8].getAllRecipients()[0].toString()).isEqualTo("reader@example.com");
    }

    private static void sendMany(SmtpTransport transport, String server) throws Exception {
        int count = 2_000;
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Delivery>> warm = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                OutboundMessage message = email("warm-" + i, "ana@example.com", false, true);
                warm.add(pool.submit(() -> transport.send(message)));
            }
            for (Future<Delivery> result : warm) {
                result.get();
            }
            // Two rounds: the first also warms the JIT up. One recipient: GreenMail makes a mailbox per new one.
            for (int round = 1; round <= 2; round++) {
                long start = System.nanoTime();
                List<Future<Delivery>> results = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    OutboundMessage message = email("speed-" + round + "-" + i, "reader@example.com", false, true);
                    results.add(pool.submit(() -> transport.send(message)));
                }
                for (Future<Delivery> result : results) {
                    assertThat(result.get().outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("SmtpTransport, round %d: %d emails over %d threads to %s in %.2f s: %.0f emails/s%n",
                        round, count, threads, server, seconds, count / seconds);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private GreenMail greenMail(boolean smtps) {
        GreenMail mail = new GreenMail(smtps ? ServerSetupTest.SMTPS.dynamicPort() : ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        opened.add(mail::stop);
        return mail;
    }

    private ScriptedSmtpServer scripted(boolean startTls) throws Exception {
        ScriptedSmtpServer server = new ScriptedSmtpServer(startTls);
        opened.add(server);
        return server;
    }

    private SmtpTransport transport(String url, Map<String, Object> overrides) {
        SmtpTransport transport = new SmtpTransport(URI.create(url), new SmtpTransport.Timeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5)), SmtpTransport.POOL_SIZE, overrides);
        opened.add(transport);
        return transport;
    }

    private static OutboundMessage email(String key, String to, boolean html, boolean text) {
        ObjectNode content = Json.MAPPER.createObjectNode();
        content.put("FromAddress", "Waymark <news@example.com>");
        content.put("Subject", "Hello Ana ✓");
        if (html) {
            content.put("HtmlPart", "<p><b>Hi Ana</b></p>");
        }
        if (text) {
            content.put("TextPart", "Hi Ana");
        }
        content.putArray("Headers").addObject().put("Name", "X-Campaign").put("Value", "spring");
        return new OutboundMessage("m-" + key, "app-1", key, Channel.EMAIL, to, Optional.of("e-1"), content,
                Origin.journey("j-1", "r-1", "a-1"), 1);
    }

    private static OutboundMessage withContent(OutboundMessage message, ObjectNode content) {
        return new OutboundMessage(message.id(), message.appId(), message.idempotencyKey(), message.channel(),
                message.destination(), message.endpointId(), content, message.origin(), message.attempt());
    }
}
