package dev.waymark.messaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP server for what GreenMail does not do: STARTTLS (with GreenMail's own self-signed key) and chosen
 * answers to RCPT and to the end of DATA. It records each message with whether it came over TLS.
 */
final class ScriptedSmtpServer implements AutoCloseable {
    /** A message as received: its data and whether the connection had been upgraded with STARTTLS. */
    record Received(String data, boolean overTls) {}

    private final ServerSocket server;
    private final boolean offerStartTls;
    private final SSLContext tls;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    volatile String rcptReply = "250 2.1.5 ok";
    volatile String dataReply = "250 2.0.0 queued";

    ScriptedSmtpServer(boolean offerStartTls) throws Exception {
        this.offerStartTls = offerStartTls;
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = ScriptedSmtpServer.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread session = new Thread(() -> converse(socket), "scripted-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void converse(Socket plain) {
        Socket socket = plain;
        boolean overTls = false;
        try {
            BufferedReader in = reader(socket);
            OutputStream out = socket.getOutputStream();
            say(out, "220 scripted ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> say(out, offerStartTls && !overTls ? "250-scripted\r\n250 STARTTLS" : "250 scripted");
                    case "HELO", "RSET", "NOOP" -> say(out, "250 ok");
                    case "STAR" -> {
                        say(out, "220 2.0.0 ready for TLS");
                        SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                        secured.setUseClientMode(false);
                        secured.startHandshake();
                        socket = secured;
                        overTls = true;
                        in = reader(socket);
                        out = socket.getOutputStream();
                    }
                    case "MAIL" -> say(out, offerStartTls && !overTls ? "530 5.7.0 STARTTLS first" : "250 ok");
                    case "RCPT" -> say(out, rcptReply);
                    case "DATA" -> {
                        say(out, "354 go ahead");
                        StringBuilder data = new StringBuilder();
                        String dataLine;
                        while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                            data.append(dataLine).append('\n');
                        }
                        if (dataReply.startsWith("2")) {
                            received.add(new Received(data.toString(), overTls));
                        }
                        say(out, dataReply);
                    }
                    case "QUIT" -> {
                        say(out, "221 bye");
                        return;
                    }
                    default -> say(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException e) {
            // The client went away: the session ends.
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
