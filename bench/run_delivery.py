#!/usr/bin/env python3
"""Waymark's delivery benchmark (issue 17): emails per second to a local SMTP server and webhook calls per second
to a local receiver, through SendMessages and the outbox, with the request API measured beside it.

    python3 bench/run_delivery.py [--emails 20000] [--webhooks 40000] [--senders 8] [--batch 100]
                                  [--duration 10] [--out bench/results/delivery]

Everything runs on this machine and sends traffic to 127.0.0.1 only:
 1. the receivers (DeliverySinks, test sources, a JVM of their own): GreenMail as the SMTP server (it counts what it
    accepts by Message-ID and keeps nothing) and a JDK HTTP server as the SMS webhook (answers 200, counts
    Idempotency-Keys);
 2. ./waymark serve on a fresh SQLite store, as a user starts it (default heap), with --smtp-url and --sms-webhook
    pointing at the receivers;
 3. the floor and the API at rest: GET /health and GetApp with wrk (2 threads, 64 connections);
 4. GetApp with wrk again while one thread sends emails at an ordinary pace (--steady-rate a second, as far as the
    machine lets it): the API's figure while the node delivers;
 5. throughput: --emails raw emails, then --webhooks SMS messages (unless --skip-webhooks): --senders Python threads
    each POST SendMessages with --batch addresses at a time until all are queued; delivered per second = messages /
    (last received - first queued), read from the receivers' counters every 100 ms, with nothing else running.
"""
import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from bench_common import free_port
import run_benchmarks as rb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = None


def classpath():
    """The test classpath (the receivers use GreenMail, a test dependency)."""
    out = os.path.join(ROOT, "target", "bench-classpath.txt")
    subprocess.run(["mvn", "-q", "-o", "-f", os.path.join(ROOT, "pom.xml"), "dependency:build-classpath",
                    "-Dmdep.outputFile=" + out], check=True)
    with open(out) as f:
        deps = f.read().strip()
    return ":".join([os.path.join(ROOT, "target", "test-classes"), os.path.join(ROOT, "target", "classes"), deps])


def request(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    url = "http://127.0.0.1:%d%s" % (port, path)
    headers = rb.signed_headers(method, url, data)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request(method, path, body=data or None, headers=headers)
    response = connection.getresponse()
    answer = response.read()
    connection.close()
    if response.status >= 300:
        raise RuntimeError("%s %s -> %d %s" % (method, path, response.status, answer[:300]))
    return json.loads(answer) if answer else {}


def counts(control_port):
    connection = http.client.HTTPConnection("127.0.0.1", control_port, timeout=10)
    connection.request("GET", "/count")
    body = json.loads(connection.getresponse().read())
    connection.close()
    return body


def send_all(port, total, batch, senders, message, address_of):
    """Queues `total` messages through SendMessages from `senders` threads; the time the first request went out."""
    next_index = [0]
    lock = threading.Lock()
    errors = []
    path = "/v1/apps/%s/messages" % APP

    def worker():
        while True:
            with lock:
                start = next_index[0]
                if start >= total:
                    return
                next_index[0] = min(total, start + batch)
                end = next_index[0]
            addresses = {address_of(i): {"ChannelType": message["channel"]} for i in range(start, end)}
            try:
                request(port, "POST", path, {"Addresses": addresses, "MessageConfiguration": message["config"]})
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(str(e))
                return

    threads = [threading.Thread(target=worker) for _ in range(senders)]
    started = time.time()
    for thread in threads:
        thread.start()
    return started, threads, errors


def drain(control_port, key, target, started, timeout=600):
    """Polls the receivers until `target` messages arrived; (seconds from `started` to the last, counts)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        seen = counts(control_port)
        if seen[key] >= target:
            return time.time() - started, seen
        time.sleep(0.1)
    sys.exit("only %s of %d arrived in %d s" % (counts(control_port), target, timeout))


def measure(name, port, control_port, key, total, args, message, address_of, out_dir):
    before = counts(control_port)[key]
    started, threads, errors = send_all(port, total, args.batch, args.senders, message, address_of)
    for thread in threads:
        thread.join()
    queued = time.time() - started
    if errors:
        sys.exit("SendMessages failed: %s" % errors[:3])
    elapsed, seen = drain(control_port, key, before + total, started)
    return {"total": total, "seconds": elapsed, "per_second": total / elapsed, "queued_seconds": queued,
            "seen": seen}


def steady(port, args, message, address_of, out_dir, name):
    """GetApp with wrk while one thread queues --steady-rate messages per second (batches of a tenth, every 100 ms):
    the API's figure while the node delivers at an ordinary pace, beside its figure at rest."""
    stop = threading.Event()
    sent = [0]

    def trickle():
        path, batch, index = "/v1/apps/%s/messages" % APP, max(1, args.steady_rate // 10), 10_000_000
        next_at = time.time()
        while not stop.is_set():
            addresses = {address_of(index + i): {"ChannelType": message["channel"]} for i in range(batch)}
            index += batch
            request(port, "POST", path, {"Addresses": addresses, "MessageConfiguration": message["config"]})
            sent[0] += batch
            next_at += 0.1
            time.sleep(max(0.0, next_at - time.time()))

    thread = threading.Thread(target=trickle)
    thread.start()
    started = time.time()
    api = rb.wrk(name, "http://127.0.0.1:%d/v1/apps/%s" % (port, APP),
                 rb.signed_headers("GET", "http://127.0.0.1:%d/v1/apps/%s" % (port, APP)), out_dir, args)
    stop.set()
    thread.join()
    api["sent_per_second"] = sent[0] / (time.time() - started)
    return api


def main():
    global APP
    parser = argparse.ArgumentParser()
    parser.add_argument("--emails", type=int, default=20_000)
    parser.add_argument("--webhooks", type=int, default=40_000)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--steady-rate", type=int, default=200)
    parser.add_argument("--skip-webhooks", action="store_true")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "delivery"))
    args = parser.parse_args()
    for tool in ("wrk", "java", "mvn"):
        if shutil.which(tool) is None:
            sys.exit("%s is not installed (wrk: apt-get install wrk)" % tool)
    os.makedirs(args.out, exist_ok=True)
    subprocess.run(["mvn", "-q", "-o", "-f", os.path.join(ROOT, "pom.xml"), "-DskipTests", "test-compile",
                    "package"], check=True)
    smtp_port, hook_port, control_port, port = free_port(), free_port(), free_port(), free_port()
    sinks = subprocess.Popen(["java", "-Xmx1g", "-cp", classpath(), "dev.waymark.messaging.DeliverySinks",
                              str(smtp_port), str(hook_port), str(control_port)], stdout=subprocess.PIPE, text=True)
    if "sinks ready" not in sinks.stdout.readline():
        sys.exit("the receivers did not start")
    data_dir = tempfile.mkdtemp(prefix="waymark-delivery-")
    server = None
    try:
        server, _ = rb.start_waymark(data_dir, port, "--smtp-url", "smtp://127.0.0.1:%d" % smtp_port,
                                     "--sms-webhook", "http://127.0.0.1:%d/sms" % hook_port,
                                     "--webhook-secret", "bench-webhook-secret", "--allow-http-delivery")
        APP = request(port, "POST", "/v1/apps", {"Name": "delivery-bench"})["Id"]
        request(port, "PUT", "/v1/apps/%s/channels/email" % APP,
                {"FromAddress": "bench@waymark.example",
                 "Identity": "arn:aws:ses:us-east-1:000000000000:identity/waymark.example", "Enabled": True})
        request(port, "PUT", "/v1/apps/%s/channels/sms" % APP, {"Enabled": True})
        base = "http://127.0.0.1:%d" % port
        app_url = "%s/v1/apps/%s" % (base, APP)
        rb.wrk("warmup", app_url, rb.signed_headers("GET", app_url), args.out, args, duration=5)
        floor = rb.wrk("health-floor", base + "/health", {}, args.out, args)
        rest = rb.wrk("getapp-at-rest", app_url, rb.signed_headers("GET", app_url), args.out, args)
        email = {"channel": "EMAIL", "config": {"EmailMessage": {"SimpleEmail": {
            "Subject": {"Data": "Your order has shipped"},
            "HtmlPart": {"Data": "<p>Hello, your order is on its way.</p>"},
            "TextPart": {"Data": "Hello, your order is on its way."}}}}}
        sms = {"channel": "SMS", "config": {"SMSMessage": {"Body": "Your code is 123456", "MessageType":
                                                           "TRANSACTIONAL"}}}
        calm = steady(port, args, email, lambda i: "steady%08d@bench.example" % i, args.out, "getapp-steady-email")
        emails = measure("email", port, control_port, "emails", args.emails, args, email,
                         lambda i: "user%07d@bench.example" % i, args.out)
        hooks = None if args.skip_webhooks else measure("sms", port, control_port, "webhooks", args.webhooks, args, sms,
                        lambda i: "+1555%07d" % i, args.out)
        load = os.getloadavg()[0]
        steady_line = "| GetApp while %.0f emails/s are sent | %.0f req/s (%.0f %% of at rest), p99 %s |" % (
            calm["sent_per_second"], calm["rps"], 100 * calm["rps"] / rest["rps"], calm["p99"])
        print("### Delivery (issue 17), %s, load average %.2f\n" % (datetime.date.today().isoformat(), load))
        print("| What | Figure |\n|---|---|")
        print("| `/health` floor (wrk, 64 connections) | %.0f req/s, p99 %s |" % (floor["rps"], floor["p99"]))
        print("| GetApp at rest | %.0f req/s (%.0f %% of the floor), p99 %s |" % (
            rest["rps"], 100 * rest["rps"] / floor["rps"], rest["p99"]))
        print(steady_line)
        for name, result in (("Emails to GreenMail", emails), ("SMS webhook calls", hooks)):
            if result is None:
                continue
            print("| %s: %d messages | **%.0f /s** (all queued in %.1f s, last received at %.1f s); "
                  "receiver saw %s |" % (name, result["total"], result["per_second"], result["queued_seconds"],
                                         result["seconds"], json.dumps(result["seen"])))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        sinks.terminate()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
