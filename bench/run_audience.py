#!/usr/bin/env python3
"""Waymark's audience benchmarks: UpdateEndpointsBatch throughput, GetEndpoint with 1,000,000 endpoints, CSV import.

    python3 bench/run_audience.py [--duration 15] [--warmup 30] [--connections 64] [--endpoints 1000000]
                                  [--store sqlite|postgresql] [--profile] [--skip-import] [--out bench/results/audience]

Everything runs on this machine and sends traffic to 127.0.0.1 only:
 1. starts Waymark with ./waymark and its defaults on a fresh store (SQLite in a temporary data directory, or a new
    database on the PostgreSQL server at 127.0.0.1:5432 as user postgres with --store postgresql), and creates an app;
 2. UpdateEndpointsBatch: --connections keep-alive connections (Python threads in 4 processes, each request signed
    with SigV4 by botocore as bench/run_benchmarks.py signs) send batches of 100 endpoints with 10 attributes each,
    every endpoint id (and address and user id) new; --warmup seconds of it, then --duration seconds measured:
    endpoints accepted per second, request latency p50/p99, the server's CPU. With --profile, another window of
    --duration seconds runs under a JFR recording (its own figure: starting JFR slows the server for a while),
    and the hottest frames are printed;
 3. seeds the same app up to --endpoints endpoints with the same batches (the seeding rate is reported), then
    measures GetEndpoint with wrk (2 threads, --connections connections) over 10,000 random stored ids in turn,
    each GET signed once beforehand, and GET /health right after it (the floor, same connections);
 4. when the server has --import-dir (CreateImportJob with file:// URLs), writes a CSV of --endpoints rows in the
    import directory and times CreateImportJob into a new app until GetImportJob answers COMPLETED.
Raw wrk output and the server's log go to --out; the summary is printed as Markdown for BENCHMARKS.md.
"""
import argparse
import collections
import datetime
import http.client
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from bench_common import free_port, sigv4_headers
import run_benchmarks as rb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY_ID, SECRET = rb.KEY_ID, rb.SECRET
BATCH = 100
PROCESSES = 4
ATTRIBUTES = ",".join('"attr%d":["value-%d"]' % (i, i) for i in range(10))
ITEM = ('{"Id":"%(id)s","ChannelType":"EMAIL","Address":"%(id)s@bench.example","Attributes":{' + ATTRIBUTES
        + '},"User":{"UserId":"user-%(id)s"}}')
CSV_HEADER = ("ChannelType,Address,Id,User.UserId,Attributes.plan,User.UserAttributes.tier,Demographic.Timezone,"
              "Location.Country,Metrics.visits,OptOut")


def endpoint_id(prefix, number):
    return "%s%09d" % (prefix, number)


def batch_body(prefix, batch_number):
    first = batch_number * BATCH
    return ('{"Item":[' + ",".join(ITEM % {"id": endpoint_id(prefix, first + i)} for i in range(BATCH))
            + "]}").encode()


def call(connection, base, method, path, body=b""):
    headers = sigv4_headers(KEY_ID, SECRET, method, base + path, body)
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def batch_worker(port, app, prefix, process_index, threads, seconds, max_batches, results):
    """One process: `threads` connections, each sending the next batch of this process until time or batches run out."""
    base = "http://127.0.0.1:%d" % port
    path = "/v1/apps/%s/endpoints" % app
    counter, lock, reported = [0], threading.Lock(), [False]
    deadline = time.time() + seconds
    latencies, statuses, accepted = [], collections.Counter(), []

    def next_batch():
        with lock:
            number = process_index + PROCESSES * counter[0]
            counter[0] += 1
        return number

    def run():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        own_latencies, own_statuses, own_accepted = [], collections.Counter(), []
        while time.time() < deadline:
            number = next_batch()
            if number >= max_batches:
                break
            body = batch_body(prefix, number)
            started = time.perf_counter()
            try:
                status, answer = call(connection, base, "PUT", path, body)
            except (OSError, http.client.HTTPException) as e:
                own_statuses["error " + type(e).__name__] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            own_latencies.append(time.perf_counter() - started)
            own_statuses[status] += 1
            if status == 202:
                own_accepted.append(number)
                if time.time() <= deadline:
                    own_statuses["202 in time"] += 1
            if status != 202 and not reported[0]:
                reported[0] = True
                print("UpdateEndpointsBatch answered %d: %s" % (status, answer[:300]), file=sys.stderr)
        with lock:
            latencies.extend(own_latencies)
            statuses.update(own_statuses)
            accepted.extend(own_accepted)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put((latencies, dict(statuses), accepted, os.times()))


def batch_load(port, app, prefix, connections, seconds, max_batches):
    """UpdateEndpointsBatch from `connections` connections in 4 processes; latencies, statuses, elapsed, client CPU."""
    results = multiprocessing.Queue()
    threads = [connections // PROCESSES + (1 if i < connections % PROCESSES else 0) for i in range(PROCESSES)]
    started = time.perf_counter()
    processes = [multiprocessing.Process(target=batch_worker, args=(port, app, prefix, i, threads[i], seconds,
                                                                    max_batches, results)) for i in range(PROCESSES)]
    for process in processes:
        process.start()
    latencies, statuses, accepted, cpu = [], collections.Counter(), [], 0.0
    for _ in processes:
        own_latencies, own_statuses, own_accepted, times = results.get()
        latencies.extend(own_latencies)
        statuses.update(own_statuses)
        accepted.extend(own_accepted)
        cpu += times.user + times.system
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    in_time = statuses.pop("202 in time", 0)
    # As wrk counts: what completed within the seconds asked for, over those seconds (unless batches ran out first).
    window = min(seconds, elapsed)
    return {"latencies": latencies, "statuses": dict(statuses), "elapsed": elapsed, "client_cpu_s": cpu,
            "endpoints": statuses.get(202, 0) * BATCH, "accepted": accepted, "window": window,
            "rate": in_time * BATCH / window}


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")


def start_waymark(data_dir, port, log_path, *flags):
    """./waymark serve with its defaults, its log in a file (a pipe nobody reads would stall it); and its start-up time."""
    env = dict(os.environ, WAYMARK_ACCESS_KEY_ID=KEY_ID, WAYMARK_SECRET_ACCESS_KEY=SECRET)
    started = time.time()
    log = open(log_path, "w")
    process = subprocess.Popen([os.path.join(ROOT, "waymark"), "serve", "--port", str(port), "--data-dir", data_dir,
                                *flags], stdout=log, stderr=subprocess.STDOUT, env=env)
    while time.time() - started < 120:
        with open(log_path) as written:
            if "Waymark listening" in written.read():
                return process, time.time() - started
        if process.poll() is not None:
            break
        time.sleep(0.05)
    sys.exit("Waymark did not start; see " + log_path)


def create_app(port, name):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    status, body = call(connection, "http://127.0.0.1:%d" % port, "POST", "/v1/apps",
                        json.dumps({"Name": name}).encode())
    if status != 201:
        sys.exit("CreateApp answered %d: %s" % (status, body[:300]))
    return json.loads(body)["Id"]


def jfr(pid, command, *options):
    return subprocess.run(["jcmd", str(pid), command, *options], capture_output=True, text=True).stdout


def hottest_frames(recording, limit=10):
    """What JFR sampled: threads running Java (CPU) by top frame and by innermost Waymark frame; threads in native
    code (SQLite's step, which also waits there for the writer lock) by the two innermost Waymark frames."""
    printed = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample,jdk.NativeMethodSample",
                              "--stack-depth", "64", recording], capture_output=True, text=True).stdout
    found = {"cpu": [collections.Counter(), collections.Counter(), 0, 0],
             "native": [collections.Counter(), collections.Counter(), 0, 0]}
    for kind, event in re.findall(r"^jdk\.(ExecutionSample|NativeMethodSample) \{(.*?)^\}", printed, re.M | re.S):
        frames = re.findall(r"^\s+([\w.$<>]+\.[\w$<>]+)\(", event, re.M)
        if not frames or frames[0] in ("sun.nio.ch.Net.accept", "sun.nio.ch.EPoll.wait"):
            continue  # idle threads: Jetty's acceptor and selectors
        counts = found["cpu" if kind == "ExecutionSample" else "native"]
        counts[2] += 1
        counts[0][frames[0]] += 1
        own = [f.replace("dev.waymark.", "") for f in frames if f.startswith("dev.waymark.")][:2]
        counts[1][" < ".join(own) or "(no Waymark frame)"] += 1
        # Inside a JDBI transaction: on SQLite, holding the one writer lock (BEGIN IMMEDIATE).
        if any(re.match(r"org\.jdbi\.v3\.core\.(Jdbi|Handle)\.(use|in)Transaction$", f) for f in frames):
            counts[3] += 1
    return {kind: {"samples": c[2], "top": c[0].most_common(limit), "waymark": c[1].most_common(limit),
                   "in_transaction": c[3]}
            for kind, c in found.items()}


def cpu_seconds(pid):
    """User and system CPU time of a process so far."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_csv(path, prefix, rows):
    with open(path, "w") as out:
        out.write(CSV_HEADER + "\n")
        for n in range(rows):
            ident = endpoint_id(prefix, n)
            out.write("EMAIL,%s@import.example,%s,user-%s,plan-%d,tier-%d,Europe/Paris,FR,%d,NONE\n"
                      % (ident, ident, ident, n % 5, n % 3, n % 100))


def import_job(port, import_dir, rows, out_dir):
    """CreateImportJob of a `rows`-row CSV into a new app, timed until GetImportJob answers COMPLETED."""
    path = os.path.join(import_dir, "audience.csv")
    started = time.time()
    write_csv(path, "imp", rows)
    written_s = time.time() - started
    app = create_app(port, "import")
    base = "http://127.0.0.1:%d" % port
    connection = http.client.HTTPConnection("127.0.0.1", port)
    request = {"Format": "CSV", "S3Url": "file://" + path, "RoleArn": "arn:aws:iam::000000000000:role/import",
               "RegisterEndpoints": True}
    started = time.time()
    status, body = call(connection, base, "POST", "/v1/apps/%s/jobs/import" % app, json.dumps(request).encode())
    if status != 201:
        sys.exit("CreateImportJob answered %d: %s" % (status, body[:300]))
    job = json.loads(body)["Id"]
    last = {}
    while time.time() - started < 1800:
        status, body = call(connection, base, "GET", "/v1/apps/%s/jobs/import/%s" % (app, job))
        last = json.loads(body)
        if last.get("JobStatus") in ("COMPLETED", "FAILED"):
            break
        time.sleep(0.2)
    seconds = time.time() - started
    with open(os.path.join(out_dir, "import-job.json"), "w") as raw:
        json.dump(last, raw, indent=2)
    return {"seconds": seconds, "status": last.get("JobStatus"), "processed": last.get("TotalProcessed"),
            "failures": last.get("TotalFailures"), "csv_s": written_s, "csv_mb": os.path.getsize(path) / 1e6}


def postgres_database():
    name = "waymark_audience_%d" % os.getpid()
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "CREATE DATABASE " + name], check=True)
    return name, "jdbc:postgresql://127.0.0.1:5432/%s?user=postgres" % name


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=30, help="seconds of UpdateEndpointsBatch and of GetEndpoint "
                                                                 "before each is measured")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--endpoints", type=int, default=1_000_000, help="endpoints stored for GetEndpoint, and the "
                                                                          "rows of the CSV import")
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--profile", action="store_true", help="JFR of the server while UpdateEndpointsBatch is "
                                                               "measured")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "audience"))
    args = parser.parse_args()
    for tool in ("wrk", "java") + (("psql",) if args.store == "postgresql" else ()):
        if not shutil.which(tool):
            sys.exit("%s is not installed (wrk: apt-get install wrk)" % tool)
    if not os.path.exists(rb.JAR):
        subprocess.run(["mvn", "-q", "-B", "-DskipTests", "package"], cwd=ROOT, check=True)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="waymark-audience-")
    results = {"date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "store": args.store,
               "command": " ".join(["python3", "bench/run_audience.py"] + sys.argv[1:]),
               "connections": args.connections}
    server, database = None, None
    try:
        import_dir = os.path.join(work, "imports")
        os.makedirs(import_dir)
        has_import = "--import-dir" in subprocess.run(["java", "-jar", rb.JAR, "serve", "--help"],
                                                      capture_output=True, text=True).stdout
        flags = ["--import-dir", import_dir] if has_import else []
        if args.store == "postgresql":
            database, url = postgres_database()
            flags += ["--db-url", url]
        port = free_port()
        server, results["startup_s"] = start_waymark(os.path.join(work, "data"), port,
                                                     os.path.join(args.out, "waymark.log"), *flags)
        base = "http://127.0.0.1:%d" % port
        app = create_app(port, "audience")

        # 1. UpdateEndpointsBatch: the JIT first (new ids too), then the measured seconds.
        if not batch_load(port, app, "w", args.connections, args.warmup, 10**9)["endpoints"]:
            sys.exit("UpdateEndpointsBatch accepted no batch (see above)")
        cpu_before, results["load_before"] = cpu_seconds(server.pid), os.getloadavg()[0]
        results["batch"] = batch_load(port, app, "m", args.connections, args.duration, 10**9)
        results["batch"]["server_cpu_s"] = cpu_seconds(server.pid) - cpu_before
        if args.profile:
            # A window of its own: starting JFR mid-run costs the measured figure far more than JFR's sampling
            # (a run measured under it came out at a fifth of the same run without).
            recording = os.path.join(args.out, "update-endpoints-batch.jfr")
            jfr(server.pid, "JFR.start", "name=audience", "settings=default")
            results["profiled"] = batch_load(port, app, "p", args.connections, args.duration, 10**9)
            jfr(server.pid, "JFR.stop", "name=audience", "filename=" + recording)
            results["profile"] = hottest_frames(recording)

        # 2. Seed up to --endpoints, then GetEndpoint over random stored ids, and the floor beside it.
        stored = results["batch"]["endpoints"] + results.get("profiled", {}).get("endpoints", 0)
        seed_batches = max(0, args.endpoints - stored) // BATCH
        results["seed"] = batch_load(port, app, "s", args.connections, 3600, seed_batches)
        results["stored"] = stored + results["seed"]["endpoints"]
        # Only ids of batches that were accepted: a refused batch (counted in the table) stored nothing.
        chooser = random.Random(7)
        batches = [(prefix, b) for prefix, load in (("m", "batch"), ("p", "profiled"), ("s", "seed"))
                   for b in results.get(load, {}).get("accepted", [])]
        picks = [chooser.choice(batches) for _ in range(10_000)]
        paths = ["/v1/apps/%s/endpoints/%s" % (app, endpoint_id(prefix, number * BATCH + chooser.randrange(BATCH)))
                 for prefix, number in picks]
        rb.wrk_round_robin("warmup-get-endpoint", base, paths, args.out, args, duration=args.warmup)
        results["get"] = rb.wrk_round_robin("get-endpoint", base, paths, args.out, args)
        results["health"] = rb.wrk("health-floor-audience", base + "/health", {}, args.out, args)
        results["rss_mb"] = rb.rss_mb(server.pid)

        # 3. The CSV import job, when this server has it.
        if has_import and not args.skip_import:
            results["import"] = import_job(port, import_dir, args.endpoints, args.out)
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(timeout=60)
        if database:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "DROP DATABASE " + database])
        shutil.rmtree(work, ignore_errors=True)
    with open(os.path.join(args.out, "summary.json"), "w") as summary:
        json.dump({k: {kk: vv for kk, vv in v.items() if kk not in ("latencies", "raw", "accepted")} if isinstance(v, dict) else v
                   for k, v in results.items()}, summary, indent=2)
    report(results)


def report(r):
    def row(figure, measured, target=""):
        print("| %s | %s | %s |" % (figure, measured, target))

    def load(b):
        latencies = b["latencies"]
        failed = sum(count for status, count in b["statuses"].items() if status != 202)
        return "%.0f endpoints/s (%.0f requests/s), p50 %.1f ms, p99 %.1f ms (%d not 202; client CPU %.0f %% of a core)" % (
            b["rate"], b["rate"] / BATCH, 1000 * percentile(latencies, 50),
            1000 * percentile(latencies, 99), failed, 100 * b["client_cpu_s"] / b["elapsed"])

    def server_cpu(b):
        return "%.0f %% of one core" % (100 * b["server_cpu_s"] / b["elapsed"])

    def rate(w):
        return "%.0f req/s, p50 %s, p99 %s (%d non-2xx)" % (w["rps"], w["p50"], w["p99"], w["non2xx"])
    print("Command: `%s` (%s, %s, %d cores)\n" % (r["command"], r["date"], r["store"], r["cores"]))
    print("| Figure | Measured | Target |")
    print("|---|---|---|")
    row("UpdateEndpointsBatch, 100 endpoints × 10 attributes, new ids, %d connections" % r["connections"],
        load(r["batch"]),
        "≥ 20,000 endpoints/s")
    row("Server CPU while UpdateEndpointsBatch was measured (load average before: %.1f)" % r["load_before"],
        server_cpu(r["batch"]))
    if r["seed"]["latencies"]:
        row("Seeding to %d endpoints (the same batches, the store growing)" % r["stored"], load(r["seed"]))
    row("GetEndpoint, 10,000 random ids of %d stored, %d connections" % (r["stored"], r["connections"]), rate(r["get"]),
        "p99 ≤ 10 ms")
    row("GET /health (the floor), right after", rate(r["health"]))
    row("GetEndpoint / floor", "%.0f %%" % (100 * r["get"]["rps"] / r["health"]["rps"]))
    if "import" in r:
        i = r["import"]
        row("CSV import job, %s rows (%.0f MB, file://)" % (i["processed"], i["csv_mb"]),
            "%.1f s to %s (%s failures)" % (i["seconds"], i["status"], i["failures"]), "≤ 60 s")
    else:
        row("CSV import job", "not measured: this server has no --import-dir (CreateImportJob)")
    row("Resident memory after GetEndpoint", "%.0f MB" % r["rss_mb"])
    if "profile" in r:
        print("\nUpdateEndpointsBatch again for --duration seconds under JFR (settings=default): %s"
              % load(r["profiled"]))
        for kind, title in (("cpu", "running Java (jdk.ExecutionSample)"),
                            ("native", "in native code, SQLite included (jdk.NativeMethodSample; idle threads left out)")):
            found = r["profile"][kind]
            if not found["samples"]:
                continue
            print("\nJFR, measured UpdateEndpointsBatch seconds, threads %s: %d samples, %.0f %% of them inside a "
                  "transaction (on SQLite: holding the writer lock or waiting for it). Top frames:\n"
                  % (title, found["samples"], 100 * found["in_transaction"] / found["samples"]))
            for frame, count in found["top"]:
                print("- %4.1f %%  %s" % (100 * count / found["samples"], frame))
            print("\nThe same samples by their innermost Waymark frames (callee < caller):\n")
            for frame, count in found["waymark"]:
                print("- %4.1f %%  %s" % (100 * count / found["samples"], frame))

if __name__ == "__main__":
    main()
