#!/usr/bin/env python3
"""Waymark's journey engine benchmarks (issue 18, engine.md E7): entry of a large segment, lateness of due steps,
PutEvents to an email, the request API while the engine moves participants, and PostgreSQL with one and three nodes.

    python3 bench/run_engine.py [--only seed,entry,steps,events,steady,pg] [--endpoints 1000000] [--steps 100000]
                                [--seed-dir DIR] [--events 2000] [--event-rate 50] [--pg-endpoints 200000]
                                [--pg-steps 50000] [--pg-nodes 3] [--profile] [--out bench/results/engine]

Everything runs on this machine and sends traffic to 127.0.0.1 only:
 0. the receivers (bench/engine_sinks.py, a process of their own): an SMTP server and an SMS webhook receiver that
    answer at once and write down each message's arrival time;
    seeding (skipped when --seed-dir holds a store seeded with the same counts): ./waymark serve on a fresh SQLite
    store, two apps filled by one CreateImportJob each (CSV, file://): "entry" with --endpoints EMAIL endpoints,
    "steps" with --steps SMS endpoints; each gets a segment with `"Dimensions": {}` (every endpoint of the app).
    Each measurement below then runs on a copy of the seeded data directory, with ./waymark serve as a user starts
    it (default heap, -Xmx256m), --smtp-url and --sms-webhook pointing at the receivers;
 1. entry: a journey on the "entry" segment whose StartActivity is a Wait of 30 days, published ACTIVE; from the run
    going RUNNING to COMPLETED (the run's LastUpdateTime as GetJourneyRuns answers it, so no polling error), and
    ENDPOINT_ENTERED of the run (GetJourneyRunExecutionMetrics) checked equal to the endpoints; also when every
    participant had made its first move (into the Wait: waymark_engine_moves_total; since 43cb50c the entry makes
    it and counts it, so this is the entry's end unless a first move failed and was left to the step workers), and
    the store's bytes per participant row (SQLite dbstat);
 2. steps: two journeys on the "steps" segment (--steps SMS endpoints), each Wait until T (A: T1, B: T1 + --gap),
    then an SMS; entered well before T1; lateness of each move = when waymark_engine_moves_total (polled every
    100 ms) counted it - T, and of each SMS = its arrival at the receiver - T (p50, p99, max); the gauge
    waymark_engine_step_lag_seconds as /metrics answered it;
 3. read path (during journey B's due time, so that A's figures are not disturbed): wrk (2 threads, 64
    connections, --duration s) on GetApp and GetJourneyRuns at T2 while the engine moves B's participants and the
    outbox sends their SMS, then the same at rest once everything arrived; GET /health beside each;
 4. events: an event-started journey (EventType bench.go) whose StartActivity is an EMAIL; --events PutEvents of
    one new endpoint each at --event-rate a second; from each PutEvents' 202 to its email's arrival (p50, p99);
 4b. steady: an event-started journey (EventType bench.wait), Wait --steady-wait seconds then an SMS; --steady
    endpoints enter through PutEvents (100 new endpoints a request) at --steady-rate a second, so that up to
    rate x wait participants wait at once and their steps fall due at that pace; each step's lateness = its SMS's
    arrival - (its PutEvents' 202 + the wait), and the step-lag gauge sampled every 100 ms;
 5. pg: a database on the PostgreSQL server at 127.0.0.1:5432 (user postgres), endpoints written by one SQL
    statement cloning a row UpdateEndpoint wrote (the import job writes ~500 endpoints/s on PostgreSQL, see
    "Segments"); the entry of --pg-endpoints with one node; then --pg-nodes nodes on the database and a journey
    Wait(PT5S) -> SMS on --pg-steps endpoints: the moves of each node (waymark_engine_moves_total of each).
With --profile, `jstack` samples the server every second while it enters and moves; the hottest frames are printed.
The summary is printed as Markdown for BENCHMARKS.md; the raw figures go to --out.
"""
import argparse
import collections
import datetime
import http.client
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from bench_common import free_port, sigv4_headers
import run_benchmarks as rb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY_ID, SECRET = rb.KEY_ID, rb.SECRET
CSV_HEADER = "ChannelType,Address,Id,Attributes.plan,Demographic.Timezone,Location.Country,Metrics.score,User.UserId"


def load():
    return "%.2f" % os.getloadavg()[0]


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def wire_time(text):
    """An ISO 8601 time as Waymark answers it, in epoch seconds."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")


class Api:
    """Signed calls to one node, on a keep-alive connection."""

    def __init__(self, port):
        self.port = port
        self.base = "http://127.0.0.1:%d" % port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None, expect=None):
        data = json.dumps(body).encode() if body is not None else b""
        headers = sigv4_headers(KEY_ID, SECRET, method, self.base + path, data)
        for attempt in range(3):
            try:
                self.connection.request(method, path, body=data or None, headers=headers)
                response = self.connection.getresponse()
                answer = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        if response.status >= 300 or (expect and response.status != expect):
            raise RuntimeError("%s %s -> %d %s" % (method, path, response.status, answer[:400]))
        return json.loads(answer) if answer else {}

    def metrics(self):
        """/metrics as {name{labels}: value}."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        connection.close()
        found = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                try:
                    found[name] = float(value)
                except ValueError:
                    pass
        return found

    def moves(self):
        return self.metrics().get("waymark_engine_moves_total", 0.0)


class Sinks:
    def __init__(self, out_dir):
        self.smtp, self.hook, self.control = free_port(), free_port(), free_port()
        self.process = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "engine_sinks.py"),
                                         str(self.smtp), str(self.hook), str(self.control)],
                                        stdout=subprocess.PIPE, text=True)
        if "sinks ready" not in self.process.stdout.readline():
            sys.exit("the receivers did not start")

    def get(self, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.control, timeout=60)
        connection.request("GET", path)
        answer = json.loads(connection.getresponse().read())
        connection.close()
        return answer

    def count(self):
        return self.get("/count")

    def arrivals(self, kind, since=0):
        return self.get("/arrivals?kind=%s&since=%d" % (kind, since))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def start_server(data_dir, log_path, sinks, *flags):
    port = free_port()
    delivery = ["--smtp-url", "smtp://127.0.0.1:%d" % sinks.smtp, "--sms-webhook",
                "http://127.0.0.1:%d/sms" % sinks.hook, "--webhook-secret", "bench-webhook-secret",
                "--allow-http-delivery"]
    process, startup = start_waymark(data_dir, port, log_path, *delivery, *flags)
    return process, Api(port)


def start_waymark(data_dir, port, log_path, *flags):
    """./waymark serve with its defaults, its log in a file; the process and its start-up time."""
    env = dict(os.environ, WAYMARK_ACCESS_KEY_ID=KEY_ID, WAYMARK_SECRET_ACCESS_KEY=SECRET)
    started = time.time()
    log = open(log_path, "w")
    process = subprocess.Popen([os.path.join(ROOT, "waymark"), "serve", "--port", str(port), "--data-dir", data_dir,
                                *flags], stdout=log, stderr=subprocess.STDOUT, env=env)
    while time.time() - started < 300:
        with open(log_path) as written:
            if "Waymark listening" in written.read():
                return process, time.time() - started
        if process.poll() is not None:
            break
        time.sleep(0.1)
    sys.exit("Waymark did not start; see " + log_path)


def stop(process):
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ----------------------------------------------------------------------------------------------------- seeding


def write_csv(path, prefix, rows, channel):
    with open(path, "w") as out:
        out.write(CSV_HEADER + "\n")
        for n in range(rows):
            ident = "%s%09d" % (prefix, n)
            address = ident + "@bench.example" if channel == "EMAIL" else "+1206%07d" % (2_000_000 + n)
            out.write("%s,%s,%s,plan-%d,UTC,%s,%d,user-%s\n" % (channel, address, ident, n % 5,
                                                               ("US", "FR", "DE", "GB")[n % 4], n % 100, ident))


def import_endpoints(api, app, import_dir, prefix, rows, channel):
    path = os.path.join(import_dir, prefix + ".csv")
    write_csv(path, prefix, rows, channel)
    started = time.time()
    job = api.call("POST", "/v1/apps/%s/jobs/import" % app, {
        "Format": "CSV", "S3Url": "file://" + path, "RoleArn": "arn:aws:iam::000000000000:role/import",
        "RegisterEndpoints": True}, expect=201)["Id"]
    while True:
        last = api.call("GET", "/v1/apps/%s/jobs/import/%s" % (app, job))
        if last.get("JobStatus") in ("COMPLETED", "FAILED"):
            break
        time.sleep(0.5)
    if last.get("JobStatus") != "COMPLETED" or last.get("TotalFailures"):
        sys.exit("the import job ended %s" % json.dumps(last)[:500])
    os.remove(path)
    return time.time() - started


def prepare_app(api, name):
    """An app with its email and SMS channels, the templates the journeys name, and a segment of every endpoint."""
    app = api.call("POST", "/v1/apps", {"Name": name}, expect=201)["Id"]
    api.call("PUT", "/v1/apps/%s/channels/email" % app, {
        "FromAddress": "bench@waymark.example", "Enabled": True,
        "Identity": "arn:aws:ses:us-east-1:000000000000:identity/waymark.example"})
    api.call("PUT", "/v1/apps/%s/channels/sms" % app, {"Enabled": True})
    segment = api.call("POST", "/v1/apps/%s/segments" % app, {"Name": "everyone", "Dimensions": {}},
                       expect=201)["Id"]
    return app, segment


def templates(api):
    for kind, body in (("sms", {"Body": "Your code is 123456"}),
                       ("email", {"Subject": "Hello", "TextPart": "Hello {{Attributes.plan}}",
                                  "HtmlPart": "<p>Hello {{Attributes.plan}}</p>"})):
        try:
            api.call("POST", "/v1/templates/bench-%s/%s" % (kind, kind), body)
        except RuntimeError as e:
            if "409" not in str(e) and "already" not in str(e):
                raise


def seed(seed_dir, args, sinks, out_dir):
    marker = os.path.join(seed_dir, "enginebench-seeded.json")
    wanted = {"endpoints": args.endpoints, "steps": args.steps}
    if os.path.exists(marker):
        seeded = json.load(open(marker))
        if all(seeded.get(k) == v for k, v in wanted.items()):
            return seeded
        sys.exit("%s holds a store seeded with other counts (%s); give another --seed-dir" % (seed_dir, seeded))
    import_dir = tempfile.mkdtemp(prefix="waymark-engine-import-")
    data_dir = os.path.join(seed_dir, "data")
    server, api = start_server(data_dir, os.path.join(out_dir, "seed.log"), sinks, "--import-dir", import_dir)
    try:
        templates(api)
        seeded = dict(wanted, load_before=load())
        seeded["entry_app"], seeded["entry_segment"] = prepare_app(api, "entry")
        seeded["entry_import_s"] = import_endpoints(api, seeded["entry_app"], import_dir, "ep", args.endpoints,
                                                    "EMAIL")
        seeded["steps_app"], seeded["steps_segment"] = prepare_app(api, "steps")
        seeded["steps_import_s"] = import_endpoints(api, seeded["steps_app"], import_dir, "sm", args.steps, "SMS")
        seeded["events_app"], _ = prepare_app(api, "events")
        seeded["load_after"] = load()
    finally:
        stop(server)
        shutil.rmtree(import_dir, ignore_errors=True)
    with open(marker, "w") as written:
        json.dump(seeded, written)
    return seeded


def copy_store(seed_dir, work):
    data_dir = os.path.join(work, "data-%d" % int(time.time() * 1000))
    subprocess.run(["cp", "-r", os.path.join(seed_dir, "data"), data_dir], check=True)
    lock = os.path.join(data_dir, "waymark.lock")
    if os.path.exists(lock):
        os.remove(lock)
    return data_dir


# ----------------------------------------------------------------------------------------------------- journeys


def wait_journey(name, segment, wait, next_activity=None, activities=None):
    definition = {"Name": name, "State": "ACTIVE", "StartActivity": "wait",
                  "Activities": {"wait": {"Wait": {"WaitTime": wait}}},
                  "StartCondition": {"SegmentStartCondition": {"SegmentId": segment}}}
    if next_activity:
        definition["Activities"]["wait"]["Wait"]["NextActivity"] = next_activity
        definition["Activities"].update(activities)
    return definition


SMS_ACTIVITY = {"sms": {"SMS": {"TemplateName": "bench-sms", "MessageConfig": {"MessageType": "TRANSACTIONAL"}}}}


def first_run(api, app, journey, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        runs = api.call("GET", "/v1/apps/%s/journeys/%s/runs" % (app, journey)).get("Item", [])
        if runs and runs[0]["Status"] != "SCHEDULED":
            return runs[0]
        time.sleep(0.05)
    sys.exit("journey %s: no run started in %d s" % (journey, timeout))


def run_metrics(api, app, journey, run):
    return api.call("GET", "/v1/apps/%s/journeys/%s/runs/%s/execution-metrics" % (app, journey, run)).get(
        "Metrics", {})


class Sampler:
    """Every `every` seconds, in a thread: the moves counter of each node, the step-lag gauge, and with --profile a
    jstack of each server; until stopped."""

    def __init__(self, apis, processes, every=0.1, profile=False):
        self.apis, self.processes, self.every, self.profile = apis, processes, every, profile
        self.samples, self.stacks = [], collections.Counter()
        self.stack_samples, self.stopping = 0, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        last_stack = 0.0
        while not self.stopping.is_set():
            at = time.time()
            row = {"t": at, "nodes": []}
            for api in self.apis:
                try:
                    m = api.metrics()
                    row["nodes"].append({"moves": m.get("waymark_engine_moves_total", 0.0),
                                         "lag": m.get("waymark_engine_step_lag_seconds", 0.0)})
                except (OSError, http.client.HTTPException):
                    row["nodes"].append(None)
            self.samples.append(row)
            if self.profile and at - last_stack >= 1.0:
                last_stack = at
                for process in self.processes:
                    self.jstack(process.pid)
            self.stopping.wait(max(0.0, self.every - (time.time() - at)))

    def jstack(self, pid):
        # ./waymark execs java, so the pid is the JVM's own.
        dump = subprocess.run(["jstack", str(pid)], capture_output=True, text=True).stdout
        for block in dump.split("\n\n"):
            name = re.match(r'"([^"]+)"', block)
            if not name or not re.match(r"(engine-|outbox|qtp|db-scheduler|job)", name.group(1)):
                continue
            if "java.lang.Thread.State: RUNNABLE" not in block:
                continue
            frames = re.findall(r"^\s+at ([\w.$<>]+)\(([^)]*)\)", block, re.M)
            if not frames or frames[0][0].startswith(("sun.nio.ch", "java.lang.Thread.sleep")):
                continue
            own = next(("%s(%s)" % f for f in frames if f[0].startswith("dev.waymark.")), "(no Waymark frame)")
            thread = re.sub(r"-\d+$", "", name.group(1))
            self.stacks[(thread, frames[0][0], own)] += 1
            self.stack_samples += 1

    def stop(self):
        self.stopping.set()
        self.thread.join()

    def moves(self, node=None):
        """[(t, moves)] of one node or of all summed."""
        series = []
        for row in self.samples:
            nodes = row["nodes"] if node is None else [row["nodes"][node]]
            if all(n is not None for n in nodes):
                series.append((row["t"], sum(n["moves"] for n in nodes)))
        return series

    def max_lag(self):
        return max((n["lag"] for row in self.samples for n in row["nodes"] if n), default=0.0)

    def hot(self, limit=12):
        return self.stacks.most_common(limit)


def crossing(series, base, count):
    """The first sample time at which moves - base reached count."""
    for t, value in series:
        if value - base >= count:
            return t
    return None


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as status:
        return int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1)) / 1024


def participant_bytes(data_dir, rows):
    """Bytes of the participants table and its indexes per row, as SQLite's dbstat counts their pages."""
    connection = sqlite3.connect("file:%s?mode=ro" % os.path.join(data_dir, "waymark.db"), uri=True)
    try:
        table = connection.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'participants'").fetchone()[0] or 0
        indexes = connection.execute("SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master "
                                     "WHERE type = 'index' AND tbl_name = 'participants')").fetchone()[0] or 0
        count = connection.execute("SELECT COUNT(*) FROM participants").fetchone()[0]
    finally:
        connection.close()
    return {"rows": count, "table_per_row": table / max(1, count), "indexes_per_row": indexes / max(1, count)}


# ----------------------------------------------------------------------------------------------------- 1. entry


def measure_entry(api, process, app, segment, endpoints, args, name="entry", data_dir=None, nodes=None):
    """A journey whose StartActivity is a 30-day Wait on the segment; the run's entry timed by its own times. With
    `nodes` ([(process, api)], the first being `process` and `api`), moves are counted on every node and each node's
    share of them (its pages of the entry: the entry counts the first moves it makes) is in "per_node"."""
    nodes = nodes or [(process, api)]
    apis = [a for _, a in nodes]
    sampler = Sampler(apis, [p for p, _ in nodes], every=0.5, profile=args.profile)
    per_node_base = [a.moves() for a in apis]
    base_moves = sum(per_node_base)
    result = {"load_before": load(), "endpoints": endpoints}
    cpu_before = cpu_seconds(process.pid)
    started = time.time()
    journey = api.call("POST", "/v1/apps/%s/journeys" % app,
                       wait_journey(name, segment, {"WaitFor": "P30D"}), expect=201)["Id"]
    run = first_run(api, app, journey)
    running_at = wire_time(run["LastUpdateTime"])
    while True:
        run = api.call("GET", "/v1/apps/%s/journeys/%s/runs" % (app, journey))["Item"][0]
        if run["Status"] in ("COMPLETED", "CANCELLED"):
            break
        if time.time() - started > args.timeout:
            sampler.stop()
            sys.exit("entry: the run is still %s after %d s" % (run["Status"], args.timeout))
        time.sleep(0.5)
    completed_at = wire_time(run["LastUpdateTime"])
    metrics = run_metrics(api, app, journey, run["RunId"])
    result.update({"status": run["Status"], "seconds": completed_at - running_at,
                   "entered": int(metrics.get("ENDPOINT_ENTERED", "0")),
                   "produced": int(metrics.get("ENDPOINT_PRODUCED", "0")), "load_during": load()})
    # Every participant's first move (into the Wait): made and counted by the entry itself since 43cb50c, so the
    # counter is normally there at COMPLETED; a first move that failed is left to the step workers, hence the wait.
    while sum(a.moves() for a in apis) - base_moves < result["entered"] and time.time() - started < args.timeout:
        time.sleep(0.5)
    moved = crossing(sampler.moves(), base_moves, result["entered"]) or time.time()
    sampler.stop()
    result["per_node"] = [a.moves() - b for a, b in zip(apis, per_node_base)]
    result.update({"moves": sum(result["per_node"]), "first_moves_done_s": moved - running_at,
                   "cpu_s": cpu_seconds(process.pid) - cpu_before, "rss_mb": rss_mb(process.pid),
                   "hot": sampler.hot(), "stack_samples": sampler.stack_samples, "load_after": load()})
    if data_dir:
        result["row_bytes"] = participant_bytes(data_dir, endpoints)
    return result


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------------------------------------------- 2. steps


def measure_steps(api, process, seeded, sinks, args, out_dir):
    """Journeys A and B (Wait until T1, T1 + gap, then SMS) on the same endpoints; lateness of moves and SMS."""
    app, segment, count = seeded["steps_app"], seeded["steps_segment"], seeded["steps"]
    result = {"participants": count, "load_before": load()}
    # Both journeys enter before T1: the margin is what the entry of both takes at the rate measured, doubled.
    margin = args.steps_margin or max(60, 4 * count / max(1.0, args.entry_rate))
    t1 = round(time.time() + margin)
    t2 = t1 + args.gap
    result.update({"t1": t1, "t2": t2, "margin_s": margin})
    journeys = {}
    for label, at in (("A", t1), ("B", t2)):
        journeys[label] = api.call("POST", "/v1/apps/%s/journeys" % app, wait_journey(
            "steps-" + label, segment, {"WaitUntil": iso(at)}, "sms", SMS_ACTIVITY), expect=201)["Id"]
    sampler = Sampler([api], [process], every=0.1, profile=args.profile)
    try:
        for label in ("A", "B"):
            run = first_run(api, app, journeys[label])
            while run["Status"] == "RUNNING" and time.time() < t1:
                time.sleep(0.5)
                run = api.call("GET", "/v1/apps/%s/journeys/%s/runs" % (app, journeys[label]))["Item"][0]
            result["entry_" + label] = {"status": run["Status"], "done_before_t1_s": t1 - wire_time(
                run["LastUpdateTime"]), "entered": int(run_metrics(api, app, journeys[label], run["RunId"]).get(
                    "ENDPOINT_ENTERED", "0"))}
        time.sleep(max(0.0, t1 - 1 - time.time()))
        base = {"moves": api.moves(), "hooks": sinks.count()["webhooks"]}
        # Each participant's first move (into its Wait) is done before T1 (with its entry since 43cb50c).
        result["moves_before_t1"] = base["moves"]
        result["load_t1"] = load()
        # A: nothing else runs. Wait until A's SMS all arrived (or B is due).
        while sinks.count()["webhooks"] - base["hooks"] < count and time.time() < t2 - 5:
            time.sleep(0.5)
        a_series = [s for s in sampler.moves() if s[0] < t2 - 1]
        result["A"] = lateness_of_moves(a_series, t1, count)
        result["A"]["sms"] = lateness_of_arrivals(sinks.arrivals("webhook"), journeys["A"], t1, count)
        result["A"]["max_step_lag_gauge"] = sampler.max_lag()
        result["load_after_a"] = load()
        # The read path once before B, nothing due: the requests measured while B moves must not be the server's
        # first GetApps, still run by the interpreter and C1 while C2 compiles (the JIT's warm-up is not the engine's
        # cost; without this, the busy figures came out 3x dearer in CPU per request for that reason alone).
        if t2 - time.time() > 3 * (args.warmup + 2) + 5:
            result["warm"] = read_path(api, app, journeys["A"], out_dir, args, label="warm", pid=process.pid,
                                       duration=args.warmup)
        else:
            print("warning: no time left before T2 to warm up the read path; give a longer --gap", file=sys.stderr)
        # B, with the read path measured while it moves: wrk starts at T2.
        result["busy"] = read_path(api, app, journeys["A"], out_dir, args, start_at=t2, label="busy",
                                   pid=process.pid)
        deadline = time.time() + args.timeout
        while sinks.count()["webhooks"] - base["hooks"] < 2 * count and time.time() < deadline:
            time.sleep(0.5)
        result["B"] = lateness_of_moves([s for s in sampler.moves() if s[0] >= t1], t2, count)
        result["B"]["sms"] = lateness_of_arrivals(sinks.arrivals("webhook"), journeys["B"], t2, count)
        result["load_after_b"] = load()
    finally:
        sampler.stop()
    result["max_step_lag_gauge"] = sampler.max_lag()
    result["hot"], result["stack_samples"] = sampler.hot(), sampler.stack_samples
    # At rest: nothing due, the outbox empty.
    time.sleep(2)
    result["rest"] = read_path(api, app, journeys["A"], out_dir, args, label="rest", pid=process.pid)
    result["journeys"] = journeys
    return result


def lateness_of_moves(series, due, count):
    """From the moves counter's samples: when the k-th move after `due` was counted, for k at 50 %, 99 %, 100 %."""
    before = [m for t, m in series if t <= due]
    base = before[-1] if before else (series[0][1] if series else 0)
    found = {}
    for name, share in (("p50", 0.50), ("p99", 0.99), ("all", 1.0)):
        t = crossing(series, base, int(count * share))
        found[name] = None if t is None else t - due
    after = [m for t, m in series]
    found["moved"] = (after[-1] - base) if after else 0
    if found["all"]:
        found["moves_per_s"] = count / found["all"]
    return found


def lateness_of_arrivals(arrivals, journey, due, count):
    late = [t - due for t, _, j, _ in arrivals if j == journey]
    keys = {k for _, k, j, _ in arrivals if j == journey}
    return {"arrived": len(late), "distinct": len(keys), "p50": percentile(late, 50), "p99": percentile(late, 99),
            "max": max(late) if late else None, "min": min(late) if late else None,
            "per_s": count / max(late) if late and max(late) > 0 else None}


# ----------------------------------------------------------------------------------------------------- 3. read path


def thread_cpu(pid):
    """CPU seconds so far of each of the server's thread groups (Jetty's pool, engine-steps, waymark-send-sms ...)."""
    groups = collections.Counter()
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as comm, open("/proc/%d/task/%s/stat" % (pid, tid)) as st:
                name = re.sub(r"[-_ ]?\d+$", "", comm.read().strip())
                fields = st.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        groups[name] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return groups


def read_path(api, app, journey, out_dir, args, start_at=None, label="", pid=None, duration=None):
    """wrk on GetApp, GetJourneyRuns and /health (`duration` s each, --duration by default); with `pid`, the
    server's CPU by thread group during each."""
    if start_at:
        time.sleep(max(0.0, start_at - time.time()))
    base = api.base
    app_url = "%s/v1/apps/%s" % (base, app)
    runs_url = "%s/v1/apps/%s/journeys/%s/runs" % (base, app, journey)
    found = {"load_before": load()}
    for name, url, headers in (("getapp", app_url, rb.signed_headers("GET", app_url)),
                               ("runs", runs_url, rb.signed_headers("GET", runs_url)),
                               ("health", base + "/health", {})):
        before = api.moves()
        cpu_before = thread_cpu(pid) if pid else None
        started = time.time()
        found[name] = {k: v for k, v in rb.wrk("%s-%s" % (label, name), url, headers, out_dir, args,
                                               duration=duration).items() if k != "raw"}
        found[name]["moves_per_s"] = (api.moves() - before) / (time.time() - started)
        if pid:
            spent = thread_cpu(pid)
            spent.subtract(cpu_before)
            found[name]["cpu_s_by_thread"] = {k: round(v, 2) for k, v in spent.most_common(8) if v > 0.05}
    found["load_after"] = load()
    return found


# ----------------------------------------------------------------------------------------------------- 4. events


def measure_events(api, app, sinks, args):
    """An event-started journey to an EMAIL; PutEvents' 202 to the email's arrival, one new endpoint per event."""
    journey = api.call("POST", "/v1/apps/%s/journeys" % app, {
        "Name": "events", "State": "ACTIVE", "StartActivity": "mail",
        "Activities": {"mail": {"EMAIL": {"TemplateName": "bench-email",
                                          "MessageConfig": {"FromAddress": "bench@waymark.example"}}}},
        "StartCondition": {"EventStartCondition": {"EventFilter": {"FilterType": "ENDPOINT", "Dimensions": {
            "EventType": {"DimensionType": "INCLUSIVE", "Values": ["bench.go"]}}}}}}, expect=201)["Id"]
    first_run(api, app, journey)
    time.sleep(2)  # the engine's plan cache and the outbox's first connection
    result = {"load_before": load(), "events": args.events, "rate": args.event_rate}
    accepted = {}
    before = len(sinks.arrivals("email"))
    started = time.time()
    for i in range(args.events):
        due = started + i / args.event_rate
        time.sleep(max(0.0, due - time.time()))
        ident = "ev%07d" % i
        address = ident + "@events.example"
        now = time.time()
        api.call("POST", "/v1/apps/%s/events" % app, {"BatchItem": {ident: {
            "Endpoint": {"ChannelType": "EMAIL", "Address": address, "Attributes": {"plan": ["p"]}},
            "Events": {"e1": {"EventType": "bench.go", "Timestamp": iso(now)}}}}}, expect=202)
        accepted[address] = time.time()
    result["sending_s"] = time.time() - started
    deadline = time.time() + args.timeout
    while len(sinks.arrivals("email", before)) < args.events and time.time() < deadline:
        time.sleep(0.5)
    latency = [t - accepted[r] for t, r, _, _ in sinks.arrivals("email", before) if r in accepted]
    result.update({"arrived": len(latency), "p50": percentile(latency, 50), "p99": percentile(latency, 99),
                   "max": max(latency) if latency else None, "load_after": load()})
    return result


# ----------------------------------------------------------------------------------------------------- 4b. steady


def measure_steady(api, process, app, sinks, args):
    """Participants entering at a steady pace through PutEvents, each waiting --steady-wait seconds then sent an SMS:
    with --steady-rate x --steady-wait participants waiting, each due step's lateness = its SMS's arrival - (its
    PutEvents' 202 + the wait), an upper bound (admission happens before the 202); and the step-lag gauge."""
    wait, rate, total = args.steady_wait, args.steady_rate, args.steady
    journey = api.call("POST", "/v1/apps/%s/journeys" % app, {
        "Name": "steady", "State": "ACTIVE", "StartActivity": "wait",
        "Activities": {"wait": {"Wait": {"WaitTime": {"WaitFor": "PT%dS" % wait}, "NextActivity": "sms"}},
                       **SMS_ACTIVITY},
        "StartCondition": {"EventStartCondition": {"EventFilter": {"FilterType": "ENDPOINT", "Dimensions": {
            "EventType": {"DimensionType": "INCLUSIVE", "Values": ["bench.wait"]}}}}}}, expect=201)["Id"]
    first_run(api, app, journey)
    time.sleep(2)
    result = {"load_before": load(), "participants": total, "rate": rate, "wait_s": wait}
    accepted, errors, lock = {}, [], threading.Lock()
    batches = [list(range(i, min(total, i + 100))) for i in range(0, total, 100)]
    started = time.time() + 1
    sampler = Sampler([api], [process], every=0.1, profile=args.profile)

    def sender(index):
        own = Api(api.port)
        for number in range(index, len(batches), 4):
            due = started + batches[number][0] / rate
            time.sleep(max(0.0, due - time.time()))
            items = {}
            for n in batches[number]:
                items["st%07d" % n] = {"Endpoint": {"ChannelType": "SMS", "Address": "+1206%07d" % (3_000_000 + n)},
                                       "Events": {"e": {"EventType": "bench.wait", "Timestamp": iso(time.time())}}}
            try:
                own.call("POST", "/v1/apps/%s/events" % app, {"BatchItem": items}, expect=202)
            except RuntimeError as e:
                errors.append(str(e))
                return
            now = time.time()
            with lock:
                for key in items:
                    accepted[key] = now

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result["sending_s"] = time.time() - started
    result["sending_late_s"] = result["sending_s"] - total / rate
    if errors:
        sampler.stop()
        sys.exit("PutEvents failed: %s" % errors[:3])
    deadline = time.time() + wait + args.timeout
    while sum(1 for a in sinks.arrivals("webhook") if a[2] == journey) < total and time.time() < deadline:
        time.sleep(1)
    sampler.stop()
    late = [t - (accepted[e] + wait) for t, _, j, e in sinks.arrivals("webhook") if j == journey and e in accepted]
    first_due = started + wait
    lags = [n["lag"] for row in sampler.samples if row["t"] >= first_due for n in row["nodes"] if n]
    result.update({"arrived": len(late), "p50": percentile(late, 50), "p99": percentile(late, 99),
                   "max": max(late) if late else None, "lag_p99": percentile(lags, 99),
                   "lag_max": max(lags) if lags else None, "load_after": load(), "hot": sampler.hot(),
                   "stack_samples": sampler.stack_samples})
    return result


# ----------------------------------------------------------------------------------------------------- 5. PostgreSQL


def psql(database, sql):
    done = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
                           "-q", "-t", "-A", "-c", sql], capture_output=True, text=True)
    if done.returncode:
        sys.exit("psql failed: %s\n%s" % (sql[:300], done.stderr))
    return done.stdout.strip()


def clone_endpoints(api, database, app, prefix, count, channel):
    """`count` endpoints of the app: one written by UpdateEndpoint, the rest cloned from it by one INSERT."""
    address = prefix + "000000000@bench.example" if channel == "EMAIL" else "+12062000000"
    api.call("PUT", "/v1/apps/%s/endpoints/%s000000000" % (app, prefix), {
        "ChannelType": channel, "Address": address, "Attributes": {"plan": ["plan-0"]},
        "Demographic": {"Timezone": "UTC"}, "Location": {"Country": "US"}, "Metrics": {"score": 1},
        "User": {"UserId": "user-%s000000000" % prefix}}, expect=202)
    columns = psql(database, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
                             "information_schema.columns WHERE table_name = 'endpoints'").split(",")
    ident = "'%s' || lpad(g::text, 9, '0')" % prefix
    replaced = {"id_key": ident, "id": ident, "user_id": "'user-' || " + ident, "cohort_id": "g % 100",
                "address": (ident + " || '@bench.example'") if channel == "EMAIL"
                else "'+1206' || lpad((2000000 + g)::text, 7, '0')"}
    select = ", ".join(replaced.get(c, "e." + c) for c in columns)
    started = time.time()
    psql(database, "INSERT INTO endpoints (%s) SELECT %s FROM endpoints e, generate_series(1, %d) g WHERE "
                   "e.app_id = '%s' AND e.id_key = '%s000000000'; ANALYZE endpoints"
         % (",".join(columns), select, count - 1, app, prefix))
    return time.time() - started


def measure_pg(args, sinks, out_dir):
    database = "waymark_engine_%d" % os.getpid()
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "CREATE DATABASE " + database],
                   check=True)
    url = "jdbc:postgresql://127.0.0.1:5432/%s?user=postgres" % database
    work = tempfile.mkdtemp(prefix="waymark-engine-pg-")
    nodes = []
    result = {"endpoints": args.pg_endpoints, "steps": args.pg_steps, "nodes": args.pg_nodes}
    analyzing = threading.Event()
    if args.pg_analyze_every > 0 and psql("postgres", "SHOW autovacuum") == "off":
        # autovacuum is off on this machine's server: without it the participants table keeps the statistics of an
        # empty table, and the entry's lookup of existing participants scans every row of the journey (see
        # BENCHMARKS.md). ANALYZE every few seconds stands in for it.
        def analyze():
            while not analyzing.wait(args.pg_analyze_every):
                psql(database, "ANALYZE participants, journey_counters, outbox, run_entries, journey_messages")
        threading.Thread(target=analyze, daemon=True).start()
        result["analyze_every_s"] = args.pg_analyze_every
    try:
        nodes.append(start_server(os.path.join(work, "n0"), os.path.join(out_dir, "pg-node0.log"), sinks,
                                  "--db-url", url))
        api = nodes[0][1]
        templates(api)
        entry_app, entry_segment = prepare_app(api, "entry")
        result["clone_s"] = clone_endpoints(api, database, entry_app, "ep", args.pg_endpoints, "EMAIL")
        steps_app, steps_segment = prepare_app(api, "steps")
        result["clone_steps_s"] = clone_endpoints(api, database, steps_app, "sm", args.pg_steps, "SMS")
        result["entry"] = measure_entry(api, nodes[0][0], entry_app, entry_segment, args.pg_endpoints, args)
        result["participant_bytes"] = int(psql(database, "SELECT pg_total_relation_size('participants')")) / max(
            1, int(psql(database, "SELECT COUNT(*) FROM participants")))
        for i in range(1, args.pg_nodes):
            nodes.append(start_server(os.path.join(work, "n%d" % i), os.path.join(out_dir, "pg-node%d.log" % i),
                                      sinks, "--db-url", url))
        apis = [api for _, api in nodes]
        if len(nodes) > 1:
            # The same entry again, every node up: a run's entry is one cursor, so its pages go to one node at a
            # time (SKIP LOCKED on the entry's row); per_node shows which node made them.
            result["entry_nodes"] = measure_entry(api, nodes[0][0], entry_app, entry_segment, args.pg_endpoints,
                                                  args, name="entry-nodes", nodes=nodes)
        base = [a.moves() for a in apis]
        hooks = sinks.count()["webhooks"]
        sampler = Sampler(apis, [p for p, _ in nodes], every=0.25, profile=args.profile)
        result["load_spread"] = load()
        started = time.time()
        journey = api.call("POST", "/v1/apps/%s/journeys" % steps_app, wait_journey(
            "spread", steps_segment, {"WaitFor": "PT5S"}, "sms", SMS_ACTIVITY), expect=201)["Id"]
        run = first_run(api, steps_app, journey)
        deadline = started + args.timeout
        while sinks.count()["webhooks"] - hooks < args.pg_steps and time.time() < deadline:
            time.sleep(0.5)
        sampler.stop()
        run = api.call("GET", "/v1/apps/%s/journeys/%s/runs" % (steps_app, journey))["Item"][0]
        per_node = [a.moves() - b for a, b in zip(apis, base)]
        series = sampler.moves()
        first = next((t for t, m in series if m > sum(base)), started)
        last = next((t for t, m in series if m - sum(base) >= sum(per_node)), time.time())
        result["spread"] = {"per_node": per_node, "moves": sum(per_node), "seconds": last - first,
                            "moves_per_s": sum(per_node) / max(0.001, last - first),
                            "entry_s": wire_time(run["LastUpdateTime"]) - wire_time(run["CreationTime"]),
                            "sms": sinks.count()["webhooks"] - hooks, "load_after": load(),
                            "hot": sampler.hot(), "stack_samples": sampler.stack_samples}
    finally:
        analyzing.set()
        for process, _ in nodes:
            stop(process)
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep_db:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                            "DROP DATABASE IF EXISTS " + database])
    return result


# ----------------------------------------------------------------------------------------------------- report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="entry,steps,events,steady,pg", help="comma-separated: seed, entry, steps "
                                                                             "(with the read path), events, steady, pg")
    parser.add_argument("--endpoints", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--seed-dir", help="where the seeded SQLite store is kept for the next run (default: a "
                                           "temporary directory, removed at the end)")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--event-rate", type=float, default=50)
    parser.add_argument("--steady", type=int, default=100_000, help="participants entered by PutEvents at a steady "
                                                                      "pace (steady)")
    parser.add_argument("--steady-rate", type=float, default=1000, help="of them entered per second")
    parser.add_argument("--steady-wait", type=int, default=100, help="seconds each waits before its SMS")
    parser.add_argument("--gap", type=int, default=120, help="seconds between journey A's due time and B's")
    parser.add_argument("--steps-margin", type=float, default=0, help="seconds from creating the step journeys to "
                                                                       "T1 (default: from the entry rate)")
    parser.add_argument("--entry-rate", type=float, default=5000, help="endpoints entered per second, to place T1 "
                                                                        "when entry was not measured in this run")
    parser.add_argument("--pg-endpoints", type=int, default=200_000)
    parser.add_argument("--pg-steps", type=int, default=50_000)
    parser.add_argument("--pg-nodes", type=int, default=3)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--pg-analyze-every", type=float, default=10, help="seconds between ANALYZEs of the engine's "
                                                                          "tables when the server's autovacuum is off "
                                                                          "(0: never)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--duration", type=int, default=8, help="seconds of each wrk measurement")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=20, help="seconds of wrk on each request kind before the read "
                        "path is measured while B moves (the JIT compiles them meanwhile)")
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "engine"))
    args = parser.parse_args()
    only = set(args.only.split(","))
    for tool in ("wrk", "java") + (("psql",) if "pg" in only else ()) + (("jstack",) if args.profile else ()):
        if not shutil.which(tool):
            sys.exit("%s is not installed" % tool)
    os.makedirs(args.out, exist_ok=True)
    if not os.path.exists(rb.JAR):
        subprocess.run(["mvn", "-q", "-B", "-DskipTests", "package"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="waymark-engine-")
    seed_dir = args.seed_dir or os.path.join(work, "seed")
    os.makedirs(seed_dir, exist_ok=True)
    results = {"date": datetime.date.today().isoformat(), "cores": os.cpu_count(),
               "command": " ".join(["python3", "bench/run_engine.py"] + sys.argv[1:])}
    sinks = Sinks(args.out)
    server = None
    try:
        if only & {"seed", "entry", "steps", "events", "steady"}:
            results["seed"] = seed(seed_dir, args, sinks, args.out)
        if "entry" in only:
            data_dir = copy_store(seed_dir, work)
            server, api = start_server(data_dir, os.path.join(args.out, "entry.log"), sinks)
            results["entry"] = measure_entry(api, server, results["seed"]["entry_app"],
                                             results["seed"]["entry_segment"], args.endpoints, args,
                                             data_dir=data_dir)
            args.entry_rate = args.endpoints / max(1.0, results["entry"]["seconds"])
            stop(server)
            shutil.rmtree(data_dir, ignore_errors=True)
            dump(results, args)
        if only & {"steps", "events", "steady"}:
            data_dir = copy_store(seed_dir, work)
            server, api = start_server(data_dir, os.path.join(args.out, "steps.log"), sinks)
            if "steps" in only:
                results["steps"] = measure_steps(api, server, results["seed"], sinks, args, args.out)
                dump(results, args)
            if "events" in only:
                results["events"] = measure_events(api, results["seed"]["events_app"], sinks, args)
                dump(results, args)
            if "steady" in only:
                results["steady"] = measure_steady(api, server, results["seed"]["events_app"], sinks, args)
                dump(results, args)
            stop(server)
            server = None
            shutil.rmtree(data_dir, ignore_errors=True)
        if "pg" in only:
            results["pg"] = measure_pg(args, sinks, args.out)
            dump(results, args)
    finally:
        stop(server)
        sinks.stop()
        shutil.rmtree(work, ignore_errors=True)  # the copies; the seeded store too unless --seed-dir keeps it
    report(results)
    failed = checks(results)
    for failure in failed:
        print("CHECK FAILED: " + failure)
    if failed:
        sys.exit(1)


def checks(r):
    """What must hold for the figures to mean anything: everyone entered, every message arrived exactly once."""
    failed = []
    for name, entry in (("entry", r.get("entry")), ("pg entry", r.get("pg", {}).get("entry")),
                        ("pg entry on every node", r.get("pg", {}).get("entry_nodes"))):
        if entry and not entry["entered"] == entry["produced"] == entry["endpoints"]:
            failed.append("%s: %d produced, %d entered of %d" % (name, entry["produced"], entry["entered"],
                                                                 entry["endpoints"]))
    for label in ("A", "B"):
        sms = r.get("steps", {}).get(label, {}).get("sms")
        if sms and not sms["arrived"] == sms["distinct"] == r["steps"]["participants"]:
            failed.append("steps %s: %d SMS arrived, %d distinct, of %d" % (label, sms["arrived"], sms["distinct"],
                                                                          r["steps"]["participants"]))
    if "events" in r and r["events"]["arrived"] != r["events"]["events"]:
        failed.append("events: %d emails of %d" % (r["events"]["arrived"], r["events"]["events"]))
    if "steady" in r and r["steady"]["arrived"] != r["steady"]["participants"]:
        failed.append("steady: %d SMS of %d" % (r["steady"]["arrived"], r["steady"]["participants"]))
    return failed


def dump(results, args):
    with open(os.path.join(args.out, "summary.json"), "w") as out:
        json.dump(results, out, indent=2, default=str)


def seconds(value):
    return "–" if value is None else "%.2f s" % value


def report(r):
    print("Command: `%s` (%s, %d cores)\n" % (r["command"], r["date"], r["cores"]))
    if "seed" in r:
        s = r["seed"]
        print("Seeded by CreateImportJob (CSV): %d EMAIL endpoints in %.1f s, %d SMS endpoints in %.1f s (load %s)\n"
              % (s["endpoints"], s["entry_import_s"], s["steps"], s["steps_import_s"], s.get("load_before", "?")))
    print("| Figure | Measured | Load (1 min) | Target |\n|---|---|---|---|")
    if "entry" in r:
        e = r["entry"]
        print("| Entry of %d endpoints (SQLite): RUNNING → COMPLETED | **%s** (%.0f endpoints/s), ENDPOINT_ENTERED %d, "
              "server CPU %.0f s, RSS %.0f MB | %s → %s | ≤ 60 s |" % (
                  e["endpoints"], seconds(e["seconds"]), e["endpoints"] / e["seconds"], e["entered"], e["cpu_s"],
                  e["rss_mb"], e["load_before"], e["load_during"], ))
        print("| … every participant's first move (into its Wait) counted | %s after RUNNING (%d moves) | %s | |" % (
            seconds(e["first_moves_done_s"]), e["moves"], e["load_after"]))
        if "row_bytes" in e:
            b = e["row_bytes"]
            print("| Participant row (SQLite dbstat) | %.0f B table + %.0f B indexes per row (%d rows) | | ≤ 1 KB |"
                  % (b["table_per_row"], b["indexes_per_row"], b["rows"]))
    if "steps" in r:
        s = r["steps"]
        for label in ("A", "B"):
            m = s[label]
            print("| Steps %s: %d participants due at once; moves late (counter, 100 ms samples) | p50 %s, p99 %s, "
                  "all %s | %s | p99 ≤ 1 s |" % (label, s["participants"], seconds(m["p50"]), seconds(m["p99"]),
                                                 seconds(m["all"]), s["load_t1"] if label == "A" else
                                                 s["busy"]["load_before"]))
            a = m["sms"]
            print("| … SMS arrival − due time | p50 %s, p99 %s, max %s (%d arrived, %d distinct keys) | | |" % (
                seconds(a["p50"]), seconds(a["p99"]), seconds(a["max"]), a["arrived"], a["distinct"]))
        print("| waymark_engine_step_lag_seconds, highest sample | %s | | |" % seconds(s["max_step_lag_gauge"]))
        for name, label in (("getapp", "GetApp"), ("runs", "GetJourneyRuns"), ("health", "GET /health")):
            rest, busy = s["rest"][name], s["busy"][name]
            print("| %s at rest / while B moves | %.0f / %.0f req/s (%.0f %%), p99 %s / %s; moves/s during: %.0f | "
                  "%s / %s | within 20 %% |" % (label, rest["rps"], busy["rps"], 100 * busy["rps"] / rest["rps"],
                                               rest["p99"], busy["p99"], busy["moves_per_s"],
                                               s["rest"]["load_before"], s["busy"]["load_before"]))
    if "events" in r:
        v = r["events"]
        print("| PutEvents 202 → email at the SMTP sink, %d events at %g/s | p50 %s, p99 %s, max %s (%d arrived) | "
              "%s → %s | p99 ≤ 2 s |" % (v["events"], v["rate"], seconds(v["p50"]), seconds(v["p99"]),
                                         seconds(v["max"]), v["arrived"], v["load_before"], v["load_after"]))
    if "steady" in r:
        v = r["steady"]
        print("| Steady: %d participants entered by PutEvents at %g/s, each Wait PT%dS then SMS; SMS arrival − due "
              "time | p50 %s, p99 %s, max %s (%d arrived); step-lag gauge p99 %s, max %s; sending %.1f s late | "
              "%s → %s | p99 ≤ 1 s |" % (v["participants"], v["rate"], v["wait_s"], seconds(v["p50"]),
                                         seconds(v["p99"]), seconds(v["max"]), v["arrived"], seconds(v["lag_p99"]),
                                         seconds(v["lag_max"]), v["sending_late_s"], v["load_before"],
                                         v["load_after"]))
    if "pg" in r:
        p = r["pg"]
        e = p["entry"]
        print("| PostgreSQL, one node: entry of %d endpoints | **%s** (%.0f endpoints/s), first moves done %s | %s → "
              "%s | ≤ 60 s for 1,000,000 |" % (e["endpoints"], seconds(e["seconds"]),
                                                e["endpoints"] / e["seconds"], seconds(e["first_moves_done_s"]),
                                                e["load_before"], e["load_during"]))
        print("| PostgreSQL participant row (table + indexes) | %.0f B | | ≤ 1 KB |" % p["participant_bytes"])
        if p.get("analyze_every_s"):
            print("| (autovacuum off on this server: ANALYZE of the engine's tables every %g s by the script) | | | |"
                  % p["analyze_every_s"])
        if p.get("entry_nodes"):
            e = p["entry_nodes"]
            print("| PostgreSQL, %d nodes: the same entry again (another journey) | **%s** (%.0f endpoints/s); first "
                  "moves (pages) per node %s | %s → %s | |" % (p["nodes"], seconds(e["seconds"]),
                                                           e["endpoints"] / e["seconds"], e["per_node"],
                                                           e["load_before"], e["load_during"]))
        sp = p["spread"]
        print("| PostgreSQL, %d nodes: Wait(PT5S) → SMS, %d participants | moves per node %s; %.0f moves/s | %s |"
              " |" % (p["nodes"], p["steps"], sp["per_node"], sp["moves_per_s"], sp["load_after"]))
    profiled = [(where, r.get(where, {})) for where in ("entry", "steps", "steady")]
    profiled += [("pg " + where, r.get("pg", {}).get(where, {})) for where in ("entry", "spread")]
    for where, part in profiled:
        if part.get("hot"):
            print("\nHottest frames (%s, jstack every second, %d RUNNABLE samples of engine/outbox/request threads):"
                  % (where, part["stack_samples"]))
            for (thread, top, own), n in part["hot"]:
                print("- %d × %s: %s ← %s" % (n, thread, top, own))


if __name__ == "__main__":
    main()
