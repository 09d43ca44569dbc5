"""The receiving end of bench/run_engine.py, in a process of its own: an SMTP server and an HTTP webhook receiver
(asyncio, one thread) that answer at once and write down when each message arrived, and a control port that answers
what arrived as JSON. Waymark's own DeliverySinks counts; the engine benchmark needs each arrival's time.

    python3 bench/engine_sinks.py SMTP_PORT WEBHOOK_PORT CONTROL_PORT

GET /count on the control port: {"emails": n, "webhooks": n, "distinctWebhooks": n}; GET /arrivals?kind=email|webhook
&since=i: the arrivals from index i, [[epoch seconds, key, journey id, endpoint id], ...] (key: the recipient of an
email, the Idempotency-Key of a webhook call; journey and endpoint ids from a webhook call's body).
"""
import asyncio
import json
import re
import sys
import time
import urllib.parse

ARRIVALS = {"email": [], "webhook": []}
WEBHOOK_KEYS = set()


async def smtp(reader, writer):
    """Just enough of SMTP for Jakarta Mail: no extensions, so no STARTTLS and no pipelining."""
    writer.write(b"220 sink ESMTP\r\n")
    recipients = []
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                writer.write(b"250 sink\r\n")
            elif verb == b"MAIL":
                recipients = []
                writer.write(b"250 OK\r\n")
            elif verb == b"RCPT":
                match = re.search(rb"<([^>]*)>", line)
                recipients.append(match.group(1).decode() if match else "")
                writer.write(b"250 OK\r\n")
            elif verb == b"DATA":
                writer.write(b"354 go on\r\n")
                await writer.drain()
                journey = ""
                while True:
                    data = await reader.readline()
                    if not data or data == b".\r\n":
                        break
                    if data[:2] == b"X-" and b"ourney" in data[:40]:
                        journey = data.split(b":", 1)[1].strip().decode()
                now = time.time()
                for recipient in recipients:
                    ARRIVALS["email"].append((now, recipient, journey, ""))
                writer.write(b"250 OK\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                return
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        writer.close()


async def read_request(reader):
    """One HTTP/1.1 request: (method, target, headers, body), or None at the end of the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = await reader.readexactly(length) if length else b""
    return method, target, headers, body


async def webhook(reader, writer):
    try:
        while True:
            try:
                _, _, headers, body = await read_request(reader)
            except (asyncio.IncompleteReadError, ConnectionError, ValueError):
                return
            now = time.time()
            key = headers.get("idempotency-key", "")
            journey = re.search(rb'"JourneyId"\s*:\s*"([^"]*)"', body)
            endpoint = re.search(rb'"EndpointId"\s*:\s*"([^"]*)"', body)
            ARRIVALS["webhook"].append((now, key, journey.group(1).decode() if journey else "",
                                        endpoint.group(1).decode() if endpoint else ""))
            WEBHOOK_KEYS.add(key)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    finally:
        writer.close()


async def control(reader, writer):
    try:
        _, target, _, _ = await read_request(reader)
        url = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/arrivals":
            answer = ARRIVALS[query.get("kind", "email")][int(query.get("since", "0")):]
        else:
            answer = {"emails": len(ARRIVALS["email"]), "webhooks": len(ARRIVALS["webhook"]),
                      "distinctWebhooks": len(WEBHOOK_KEYS)}
        body = json.dumps(answer).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d"
                     b"\r\n\r\n" % len(body) + body)
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main(smtp_port, webhook_port, control_port):
    servers = [await asyncio.start_server(smtp, "127.0.0.1", smtp_port, backlog=1024),
               await asyncio.start_server(webhook, "127.0.0.1", webhook_port, backlog=1024),
               await asyncio.start_server(control, "127.0.0.1", control_port)]
    print("sinks ready", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    asyncio.run(main(*(int(port) for port in sys.argv[1:4])))
