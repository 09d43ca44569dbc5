package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Email over SMTP ({@code smtp://} with STARTTLS when offered, {@code smtps://} with TLS from the first byte, AUTH when
 * the URL carries a user), through a small pool of connections that stay open between messages: reconnecting for
 * every message would cost a TCP and TLS handshake and an AUTH exchange each time.
 */
public final class SmtpTransport implements Transport {
    /** Connections open at once; a sender thread past this many waits for one to come back. */
    static final int POOL_SIZE = 8;
    /** Pinpoint's limits on an email's own headers (MessageHeader: up to 15, names 126 and values 870 chars). */
    static final int MAX_HEADERS = 15;
    static final int MAX_HEADER_NAME = 126;
    static final int MAX_HEADER_VALUE = 870;
    /** A connection idle for longer is checked with NOOP before it carries a message: servers close idle ones. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Headers the transport writes itself: a template may not replace them. */
    private static final Set<String> OWN_HEADERS = Set.of("from", "to", "cc", "bcc", "subject", "message-id", "date",
            "mime-version", "content-type", "content-transfer-encoding", "sender", "return-path");

    /** How long to wait for a connection, an answer, a write to go out. */
    record Timeouts(Duration connect, Duration read, Duration write) {
        static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(15),
                Duration.ofSeconds(15));
    }

    private final String protocol;
    private final String host;
    private final int port;
    private final Optional<String> user;
    private final Optional<String> password;
    private final Session session;
    private final Timeouts timeouts;
    private final Semaphore permits;
    private final Deque<PooledConnection> idle = new ArrayDeque<>();
    private final ScheduledExecutorService writeTimeouts;
    private volatile boolean closed;

    static {
        // Jakarta Mail 2.1 finds its StreamProvider anew for every body part it writes, and without a name it scans
        // every jar of the class path with a ServiceLoader each time: most of the email lane's CPU in the delivery
        // benchmark. Named, the lookup is one class load.
        String provider = "jakarta.mail.util.StreamProvider";
        if (System.getProperty(provider) == null) {
            System.setProperty(provider, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    /** A transport for {@code url}, strict about certificates; the URL was checked by {@link #check}. */
    public SmtpTransport(URI url) {
        this(url, Timeouts.DEFAULT, POOL_SIZE, Map.of());
    }

    /**
     * The tests' constructor: other timeouts and pool size, and session properties laid over the transport's own
     * (a test trusts GreenMail's self-signed certificate this way; production never does).
     */
    SmtpTransport(URI url, Timeouts timeouts, int poolSize, Map<String, Object> sessionOverrides) {
        check(url);
        this.protocol = url.getScheme().toLowerCase(Locale.ROOT);
        this.host = url.getHost();
        this.port = url.getPort() > 0 ? url.getPort() : protocol.equals("smtps") ? 465 : 25;
        String rawUserInfo = url.getRawUserInfo();
        if (rawUserInfo != null) {
            int colon = rawUserInfo.indexOf(':');
            this.user = Optional.of(decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon)));
            this.password = Optional.of(colon < 0 ? "" : decode(rawUserInfo.substring(colon + 1)));
        } else {
            this.user = Optional.empty();
            this.password = Optional.empty();
        }
        this.timeouts = timeouts;
        this.permits = new Semaphore(poolSize, true);
        this.writeTimeouts = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "smtp-write-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        Properties properties = new Properties();
        String prefix = "mail." + protocol + ".";
        properties.put(prefix + "connectiontimeout", String.valueOf(timeouts.connect().toMillis()));
        properties.put(prefix + "timeout", String.valueOf(timeouts.read().toMillis()));
        properties.put(prefix + "writetimeout", String.valueOf(timeouts.write().toMillis()));
        // One timer thread for every connection's writes, not one per connection (Angus's default).
        properties.put(prefix + "executor.writetimeout", writeTimeouts);
        properties.put(prefix + "ssl.checkserveridentity", "true");
        properties.put(prefix + "auth", String.valueOf(user.isPresent()));
        properties.put(prefix + "quitwait", "false");
        if (protocol.equals("smtp")) {
            properties.put(prefix + "starttls.enable", "true");
            properties.put(prefix + "starttls.required", String.valueOf(startTlsRequired(url)));
        }
        properties.putAll(sessionOverrides);
        this.session = Session.getInstance(properties);
    }

    /**
     * Checks an SMTP URL: {@code smtp} or {@code smtps}, a host, and no query but {@code starttls=required}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void check(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
            throw new IllegalArgumentException("--smtp-url must start with smtp:// or smtps://, not " + url.getScheme());
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("--smtp-url has no host");
        }
        startTlsRequired(url);
    }

    private static boolean startTlsRequired(URI url) {
        String query = url.getQuery();
        if (query == null || query.isEmpty()) {
            return false;
        }
        if (query.equals("starttls=required") && url.getScheme().equalsIgnoreCase("smtp")) {
            return true;
        }
        throw new IllegalArgumentException("--smtp-url takes no query but ?starttls=required (with smtp://), not ?"
                + query);
    }

    private static String decode(String part) {
        // A '+' in user info is a plus, not a space (that is form encoding).
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    /**
     * The wait for a pooled connection, a new connection, the body's write, and two replies that take up to the read
     * timeout: an estimate, since each SMTP command has its own read timeout and a server stalling at every one of
     * them could take longer.
     */
    @Override
    public Duration longestSend() {
        return timeouts.connect().plus(timeouts.read()).plus(timeouts.connect()).plus(timeouts.read().multipliedBy(2))
                .plus(timeouts.write());
    }

    @Override
    public Delivery send(OutboundMessage message) {
        MimeMessage mime;
        InternetAddress to;
        try {
            to = address(message.destination(), "the destination");
            mime = mimeMessage(message, to);
        } catch (RefusedMessage e) {
            return Delivery.permanentFailure(0, e.getMessage());
        }
        String messageId = messageId(message.idempotencyKey());
        boolean permitted = false;
        try {
            permitted = permits.tryAcquire(timeouts.connect().plus(timeouts.read()).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!permitted) {
            return Delivery.transientFailure(0, "every SMTP connection stayed busy");
        }
        PooledConnection connection = null;
        try {
            connection = take();
            connection.transport.sendMessage(mime, new Address[] {to});
            int code = connection.transport.getLastReturnCode();
            String answer = connection.transport.getLastServerResponse();
            give(connection);
            connection = null;
            return Delivery.delivered(code > 0 ? code : 250, answer == null ? "" : answer.strip(),
                    Optional.of(messageId));
        } catch (MessagingException e) {
            SmtpFailure failure = SmtpFailure.of(e);
            if (connection != null) {
                // After a 5xx refusal (this message's fault) Angus has reset the transaction and the connection goes
                // on. A 4xx may be about the connection itself (too many messages on it, a rate limit, 421 closing),
                // and a failure without a reply leaves the stream in an unknown state: a new connection is safer.
                if (failure.code() >= 500) {
                    give(connection);
                } else {
                    discard(connection);
                }
                connection = null;
            }
            return failure.delivery();
        } catch (RuntimeException e) {
            if (connection != null) {
                discard(connection);
                connection = null;
            }
            return Delivery.transientFailure(0, "SMTP send failed: " + e);
        } finally {
            permits.release();
        }
    }

    private MimeMessage mimeMessage(OutboundMessage message, InternetAddress to) throws RefusedMessage {
        JsonNode content = message.content();
        try {
            MimeMessage mime = new KeyedMimeMessage(session, messageId(message.idempotencyKey()));
            mime.setFrom(address(text(content, "FromAddress").orElseThrow(
                    () -> new RefusedMessage("the message has no FromAddress")), "FromAddress"));
            mime.setRecipient(Message.RecipientType.TO, to);
            mime.setSubject(noLineBreaks(text(content, "Subject").orElse(""), "Subject"), "UTF-8");
            mime.setSentDate(new Date());
            Optional<String> html = text(content, "HtmlPart");
            Optional<String> plain = text(content, "TextPart");
            if (html.isPresent() && plain.isPresent()) {
                MimeMultipart alternative = new MimeMultipart("alternative");
                MimeBodyPart textBody = new MimeBodyPart();
                textBody.setText(plain.get(), "UTF-8");
                MimeBodyPart htmlBody = new MimeBodyPart();
                htmlBody.setText(html.get(), "UTF-8", "html");
                // Least preferred first (RFC 2046): clients show the last part they can.
                alternative.addBodyPart(textBody);
                alternative.addBodyPart(htmlBody);
                mime.setContent(alternative);
            } else if (html.isPresent()) {
                mime.setText(html.get(), "UTF-8", "html");
            } else {
                mime.setText(plain.orElse(""), "UTF-8");
            }
            addHeaders(mime, content.path("Headers"));
            mime.saveChanges();
            return mime;
        } catch (MessagingException e) {
            throw new RefusedMessage("the message cannot be written as MIME: " + e.getMessage());
        }
    }

    private static void addHeaders(MimeMessage mime, JsonNode headers) throws RefusedMessage, MessagingException {
        if (headers.isMissingNode() || headers.isNull()) {
            return;
        }
        if (!headers.isArray()) {
            throw new RefusedMessage("Headers must be a list of {Name, Value}");
        }
        if (headers.size() > MAX_HEADERS) {
            throw new RefusedMessage("Headers has " + headers.size() + " entries; at most " + MAX_HEADERS);
        }
        for (JsonNode header : headers) {
            String name = header.path("Name").asText("");
            String value = header.path("Value").asText("");
            if (name.isEmpty() || name.length() > MAX_HEADER_NAME || !name.chars().allMatch(c -> c > 32 && c < 127
                    && c != ':')) {
                throw new RefusedMessage("header name '" + printable(name) + "' is not 1 to " + MAX_HEADER_NAME
                        + " printable ASCII characters without ':'");
            }
            if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new RefusedMessage("header " + name + " is written by Waymark and cannot be set");
            }
            if (value.length() > MAX_HEADER_VALUE) {
                throw new RefusedMessage("header " + name + " is longer than " + MAX_HEADER_VALUE + " characters");
            }
            try {
                mime.addHeader(name, MimeUtility.fold(name.length() + 2,
                        MimeUtility.encodeText(noLineBreaks(value, "header " + name), "UTF-8", null)));
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 is always supported", e);
            }
        }
    }

    private static String noLineBreaks(String value, String what) throws RefusedMessage {
        // A CR or LF in a header would let the sender of a template add headers of its own, or a body.
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new RefusedMessage(what + " holds a line break or NUL character");
        }
        return value;
    }

    private static InternetAddress address(String value, String what) throws RefusedMessage {
        try {
            InternetAddress address = new InternetAddress(noLineBreaks(value, what), true);
            if (address.isGroup() || address.getAddress().indexOf('@') < 0) {
                throw new RefusedMessage(what + " '" + printable(value) + "' is not one email address");
            }
            return address;
        } catch (AddressException e) {
            throw new RefusedMessage(what + " '" + printable(value) + "' is not a valid email address: "
                    + e.getMessage());
        }
    }

    private static Optional<String> text(JsonNode content, String field) {
        JsonNode node = content.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    private static String printable(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }

    /**
     * The Message-ID of every attempt of a message: made from its idempotency key, so a receiver that saw the first
     * attempt can drop a repeat. Characters outside {@code [A-Za-z0-9+_-]} are written {@code =XX} (their UTF-8 bytes),
     * which keeps two keys apart; a key too long for a header is replaced by its SHA-256.
     */
    static String messageId(String idempotencyKey) {
        StringBuilder local = new StringBuilder();
        for (byte b : idempotencyKey.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '_' || c == '-')) {
                local.append(c);
            } else {
                local.append('=').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        if (local.length() > 200) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
                // A '.' never appears in the escaped form, so a digest cannot equal another key's escape.
                return "<sha256." + HexFormat.of().formatHex(digest) + "@waymark>";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is always available", e);
            }
        }
        return "<" + local + "@waymark>";
    }

    private PooledConnection take() throws MessagingException {
        PooledConnection connection;
        synchronized (idle) {
            connection = idle.pollFirst();
        }
        while (connection != null) {
            if (System.nanoTime() - connection.idleSince < IDLE_CHECK_NANOS || connection.transport.isConnected()) {
                return connection;
            }
            discard(connection);
            synchronized (idle) {
                connection = idle.pollFirst();
            }
        }
        if (closed) {
            throw new MessagingException("the SMTP transport is closed");
        }
        SMTPTransport transport = (SMTPTransport) session.getTransport(protocol);
        transport.connect(host, port, user.orElse(null), password.orElse(null));
        return new PooledConnection(transport);
    }

    private void give(PooledConnection connection) {
        connection.idleSince = System.nanoTime();
        synchronized (idle) {
            if (!closed) {
                idle.addFirst(connection);
                return;
            }
        }
        discard(connection);
    }

    private static void discard(PooledConnection connection) {
        try {
            connection.transport.close();
        } catch (MessagingException | RuntimeException e) {
            // Already broken: there is nothing left to close cleanly.
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.forEach(SmtpTransport::discard);
            idle.clear();
        }
        writeTimeouts.shutdownNow();
    }

    /** One open SMTP connection and since when it has waited unused. */
    private static final class PooledConnection {
        final SMTPTransport transport;
        long idleSince = System.nanoTime();

        PooledConnection(SMTPTransport transport) {
            this.transport = transport;
        }
    }

    /** A message keeps the Message-ID made from its key: Jakarta Mail would otherwise make a new one each save. */
    private static final class KeyedMimeMessage extends MimeMessage {
        private final String messageId;

        KeyedMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }

    /** A message this transport will not send whatever the server says (bad address, header injection). */
    private static final class RefusedMessage extends Exception {
        RefusedMessage(String message) {
            super(message, null, false, false);
        }
    }
}
