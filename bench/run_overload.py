#!/usr/bin/env python3
"""Waymark under attack: can a signed client still read GetJourneyRuns while unsigned clients try to wedge it?

    python3 bench/run_overload.py [--duration 60]

Starts one `./waymark serve` with its default settings (only the port, data directory and a seeded admin key are
given) and runs, together for --duration seconds, all against 127.0.0.1:
  - a flood of unauthenticated requests with random long access key ids (8 threads, keep-alive; 5,000-character
    ids and 128-character ids of the right form, each id new);
  - sixty 7 MB POSTs to /health in a loop (60 threads, each sends the whole body, then reads the answer);
  - 128 slow-upload connections (POST /v1/apps with Content-Length 1,000,000, one byte every 20 s; reconnects
    when the server closes one);
  - a signed client (SigV4 via botocore, as bench/run_benchmarks.py signs) reading GetJourneyRuns in a loop.
Prints the signed client's success rate and p50/p99, what the attackers got, the server's peak RSS and whether it
still answers /health afterwards. Target: 100 % success, p99 < 1 s, RSS < 512 MB.
"""
import argparse
import collections
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from bench_common import free_port, sigv4_headers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY_ID, SECRET = "AKIDOVERLOAD", "overload-secret-key"
BIG_BODY = b"x" * (7 * 1000 * 1000)



def signed(method, url, body=b""):
    return sigv4_headers(KEY_ID, SECRET, method, url, body)


def call(port, method, path, body=b"", timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body or None,
                           headers=signed(method, "http://127.0.0.1:%d%s" % (port, path), body))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Stop:
    def __init__(self, seconds):
        self.until = time.monotonic() + seconds

    def __bool__(self):
        return time.monotonic() < self.until


def flood(port, stop, counts):
    """Unsigned-in-effect requests: Authorization headers with made-up key ids, a new one every time."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    connection = None
    while stop:
        long_id = random.random() < 0.5
        key_id = "".join(random.choice(alphabet) for _ in range(5000 if long_id else 128))
        headers = {"Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s/us-east-1/mobiletargeting/aws4_request, "
                   "SignedHeaders=host;x-amz-date, Signature=%s" % (key_id, time.strftime("%Y%m%d", time.gmtime()),
                                                                  "0" * 64),
                   "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())}
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/v1/apps", headers=headers)
            response = connection.getresponse()
            response.read()
            counts[response.status] += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except Exception as e:
            counts[type(e).__name__] += 1
            if connection is not None:
                connection.close()
            connection = None


def big_posts(port, stop, counts):
    """7 MB POSTs to /health: the whole body is sent before the answer is read, as an SDK would."""
    while stop:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                s.sendall(b"POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\n\r\n" % len(BIG_BODY))
                try:
                    s.sendall(BIG_BODY)
                except OSError:
                    pass  # the server answered and closed before the body was sent
                answer = s.recv(64)
                counts[answer[9:12].decode("ascii", "replace") if answer else "closed"] += 1
        except Exception as e:
            counts[type(e).__name__] += 1
            time.sleep(0.05)


def slow_uploads(port, stop, counts, connections=128, interval=20):
    """128 connections that send a POST's headers, then one byte of body every 20 s."""
    sockets = {}

    def connect(i):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"POST /v1/apps HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 1000000\r\n\r\n{")
            s.setblocking(False)
            sockets[i] = s
            counts["opened"] += 1
        except OSError as e:
            counts[type(e).__name__] += 1

    for i in range(connections):
        connect(i)
    next_byte = time.monotonic() + interval
    while stop:
        time.sleep(0.2)
        for i in range(connections):
            s = sockets.get(i)
            if s is None:
                connect(i)
                continue
            try:
                data = s.recv(4096)
                if data or data == b"":
                    if data:
                        counts["answered " + data[9:12].decode("ascii", "replace")] += 1
                    s.close()
                    sockets.pop(i)
            except BlockingIOError:
                pass
            except OSError:
                sockets.pop(i).close()
        if time.monotonic() >= next_byte:
            next_byte += interval
            for i, s in list(sockets.items()):
                try:
                    s.send(b" ")
                except OSError:
                    sockets.pop(i).close()
    for s in sockets.values():
        s.close()


def signed_reader(port, stop, path, latencies, outcomes):
    while stop:
        started = time.monotonic()
        try:
            status, _ = call(port, "GET", path)
        except Exception as e:
            status = type(e).__name__
        latencies.append(time.monotonic() - started)
        outcomes[status] += 1


def rss_sampler(pid, stop, peak):
    while stop:
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        peak[0] = max(peak[0], int(line.split()[1]) * 1024)
        except OSError:
            return
        time.sleep(0.25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="waymark-overload-")
    port = free_port()
    env = dict(os.environ, WAYMARK_ACCESS_KEY_ID=KEY_ID, WAYMARK_SECRET_ACCESS_KEY=SECRET)
    log = open(os.path.join(data_dir, "server.log"), "w")
    server = subprocess.Popen([os.path.join(ROOT, "waymark"), "serve", "--port", str(port), "--data-dir",
                               os.path.join(data_dir, "data")], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if call(port, "GET", "/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("waymark did not start; see " + log.name)
            time.sleep(0.5)
        status, body = call(port, "POST", "/v1/apps", json.dumps({"Name": "overload"}).encode())
        app = json.loads(body)["Id"]
        journey = {"Name": "overload", "StartActivity": "send",
                   "Activities": {"send": {"EMAIL": {"TemplateName": "welcome"}}},
                   "StartCondition": {"SegmentStartCondition": {"SegmentId": "everyone"}}}
        status, body = call(port, "POST", "/v1/apps/%s/journeys" % app, json.dumps(journey).encode())
        journey_id = json.loads(body)["Id"]
        runs_path = "/v1/apps/%s/journeys/%s/runs?page-size=50" % (app, journey_id)
        assert call(port, "GET", runs_path)[0] == 200

        stop = Stop(args.duration)
        flood_counts, post_counts, slow_counts = (collections.Counter() for _ in range(3))
        latencies, outcomes, peak = [], collections.Counter(), [0]
        threads = [threading.Thread(target=flood, args=(port, stop, flood_counts)) for _ in range(8)]
        threads += [threading.Thread(target=big_posts, args=(port, stop, post_counts)) for _ in range(60)]
        threads.append(threading.Thread(target=slow_uploads, args=(port, stop, slow_counts)))
        threads.append(threading.Thread(target=rss_sampler, args=(server.pid, stop, peak)))
        for thread in threads:
            thread.daemon = True
            thread.start()
        time.sleep(1.5)  # the attack is under way before the signed client starts
        signed_reader(port, stop, runs_path, latencies, outcomes)
        for thread in threads:
            thread.join(timeout=30)

        try:
            still_up = call(port, "GET", "/health", timeout=5)[0] == 200
        except OSError:
            still_up = False
        ok = outcomes.get(200, 0)
        total = sum(outcomes.values())
        ordered = sorted(latencies)
        p50 = ordered[len(ordered) // 2] if ordered else float("nan")
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")
        print("signed GetJourneyRuns: %d of %d succeeded (%.2f %%), p50 %.1f ms, p99 %.1f ms, other outcomes %s"
              % (ok, total, 100.0 * ok / max(total, 1), p50 * 1000, p99 * 1000,
                 {k: v for k, v in outcomes.items() if k != 200}))
        print("flood of made-up key ids: %d answers %s" % (sum(flood_counts.values()), dict(flood_counts)))
        print("7 MB POSTs to /health: %d answers %s" % (sum(post_counts.values()), dict(post_counts)))
        print("slow uploads: %s" % dict(slow_counts))
        print("server peak RSS: %.0f MB; still up afterwards: %s" % (peak[0] / 1e6, "yes" if still_up else "NO"))
        print("\n| Signed GetJourneyRuns success | p50 | p99 | Peak RSS | Still up |\n|---|---|---|---|---|")
        print("| %.2f %% (%d of %d) | %.1f ms | %.1f ms | %.0f MB | %s |" % (
            100.0 * ok / max(total, 1), ok, total, p50 * 1000, p99 * 1000, peak[0] / 1e6,
            "yes" if still_up else "no"))
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
