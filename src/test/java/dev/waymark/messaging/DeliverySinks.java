package dev.waymark.messaging;

import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving end of the delivery benchmark (bench/run_delivery.py), in a JVM of its own: a GreenMail SMTP server
 * that counts what it accepts (by Message-ID, so repeats show) and throws the mail away, a webhook receiver that
 * answers 200 and counts, and {@code GET /count} on the control port with both figures as JSON.
 *
 * <pre>java -cp ... dev.waymark.messaging.DeliverySinks SMTP_PORT WEBHOOK_PORT CONTROL_PORT</pre>
 */
public final class DeliverySinks {
    private final AtomicLong emails = new AtomicLong();
    private final AtomicLong webhooks = new AtomicLong();
    private final Set<String> emailIds = ConcurrentHashMap.newKeySet();
    private final Set<String> webhookKeys = ConcurrentHashMap.newKeySet();

    public static void main(String[] args) throws IOException {
        new DeliverySinks().start(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    }

    private void start(int smtpPort, int webhookPort, int controlPort) throws IOException {
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        GreenMailUser discard = new Discard();
        smtp.getUserManager().setMessageDeliveryHandler((message, address) -> {
            count(message);
            return discard;
        });
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", webhookPort), 1024);
        receiver.setExecutor(Executors.newFixedThreadPool(16));
        receiver.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            webhooks.incrementAndGet();
            if (key != null) {
                webhookKeys.add(key);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", controlPort), 16);
        control.createContext("/count", exchange -> {
            byte[] body = ("{\"emails\":" + emails.get() + ",\"distinctEmails\":" + emailIds.size()
                    + ",\"webhooks\":" + webhooks.get() + ",\"distinctWebhooks\":" + webhookKeys.size() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        control.start();
        System.out.println("sinks ready");
    }

    /** One message per recipient, as an SMTP server delivers; its Message-ID recorded once per recipient. */
    private void count(MovingMessage message) throws MessagingException {
        emails.incrementAndGet();
        MimeMessage mime = message.getMessage();
        String id = mime == null ? null : mime.getMessageID();
        if (id != null) {
            emailIds.add(id);
        }
    }

    /** A mailbox that keeps nothing, so that a long run does not fill the sink's heap. */
    private static final class Discard implements GreenMailUser {
        @Override public String getEmail() { return "discard@bench.example"; }
        @Override public String getLogin() { return "discard"; }
        @Override public void deliver(MovingMessage msg) { }
        @Override public void deliver(MimeMessage msg) { }
        @Override public void create() { }
        @Override public void delete() { }
        @Override public String getPassword() { return ""; }
        @Override public void setPassword(String password) { }
        @Override public void authenticate(String password) { }
        @Override public String getQualifiedMailboxName() { return "discard"; }
    }
}
