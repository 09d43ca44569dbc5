#!/usr/bin/env python3
"""Waymark's segment benchmark (issue 16): count and stream the members of a three-dimension segment of 1,000,000
endpoints.

    python3 bench/run_segments.py [--data-dir DIR] [--endpoints 1000000] [--store sqlite|postgresql]
                                  [--repeat 3] [--page-sizes 1000,5000] [--skip-api] [--out bench/results/segments]

Everything runs on this machine and sends traffic to 127.0.0.1 only:
 1. seeding (skipped when --data-dir already holds a seeded store of --endpoints endpoints, so that iterations are
    fast): starts ./waymark serve on the store, creates an app, writes --endpoints endpoints as newline-delimited
    JSON (EndpointBatchItems: four channel types, list-valued Attributes, three Metrics, a spread of countries,
    Demographic, User.UserAttributes; seeded random, so every run has the same data) under --import-dir and
    imports them with CreateImportJob (file://), timed until COMPLETED;
 2. the members, in the JVM as a journey reads them (SegmentBenchmark, `java -Xmx256m -XX:+UseParallelGC` as
    ./waymark starts the server): for each segment below, EndpointStore.count, then every member in keyset pages of
    each --page-sizes, --repeat times (median and spread reported), and the query plans (SQLite EXPLAIN QUERY
    PLAN, PostgreSQL EXPLAIN ANALYZE);
 3. unless --skip-api: GET /health with wrk (2 threads, 64 connections, 10 s) on the same server: the floor of this
    machine at the time, and the load average beside each figure.
The segments: Attributes.interests INCLUSIVE [sports, music] AND Metrics.score GREATER_THAN 50 AND Location.Country
in [FR] (~10 % of the endpoints are in FR) or in [US, FR] (~50 %).
"""
import argparse
import gzip
import datetime
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from bench_common import free_port
import run_audience as ra
import run_benchmarks as rb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTRIES = ["US"] * 40 + ["FR"] * 10 + ["DE"] * 10 + ["GB"] * 10 + ["IN"] * 8 + ["BR"] * 6 + ["JP"] * 5 + \
    ["CA"] * 4 + ["ES"] * 3 + ["IT"] * 2 + ["MX", "NL"]
CITIES = {"US": "Seattle", "FR": "Paris", "DE": "Berlin", "GB": "London", "IN": "Pune", "BR": "Recife",
          "JP": "Osaka", "CA": "Toronto", "ES": "Madrid", "IT": "Milan", "MX": "Puebla", "NL": "Utrecht"}
INTERESTS = ["sports", "music", "travel", "cooking", "gaming", "fashion", "books", "movies", "tech", "art",
             "finance", "outdoors"]
CHANNELS = ["EMAIL"] * 6 + ["SMS"] * 2 + ["APNS", "GCM"]
PLANS = ["free"] * 6 + ["basic"] * 2 + ["pro", "enterprise"]


def endpoint(rng, n):
    """One EndpointBatchItem of the seeded audience."""
    ident = "ep%09d" % n
    channel = rng.choice(CHANNELS)
    country = rng.choice(COUNTRIES)
    address = {"EMAIL": ident + "@bench.example", "SMS": "+1555%07d" % (n % 10_000_000)}.get(channel, "token-" + ident)
    item = {"Id": ident, "ChannelType": channel, "Address": address,
            "Attributes": {"plan": [rng.choice(PLANS)],
                           "interests": rng.sample(INTERESTS, rng.randint(1, 4)),
                           "tags": ["t%d" % rng.randrange(50) for _ in range(rng.randint(0, 3))]},
            "Metrics": {"score": round(rng.uniform(0, 100), 2), "visits": rng.randrange(200),
                        "purchases": rng.randrange(10)},
            "Location": {"Country": country, "City": CITIES[country]},
            "Demographic": {"Platform": rng.choice(["ios", "android", "web"]), "Timezone": "UTC"},
            "User": {"UserId": "user-%d" % (n // 2),
                     "UserAttributes": {"tier": [rng.choice(["bronze", "silver", "gold"])],
                                        "age_group": [rng.choice(["18-24", "25-34", "35-44", "45+"])]}}}
    if not item["Attributes"]["tags"]:
        del item["Attributes"]["tags"]
    return item


def write_endpoints(path, rows):
    rng = random.Random(16)
    with open(path, "w") as out:
        for n in range(rows):
            out.write(json.dumps(endpoint(rng, n), separators=(",", ":")) + "\n")


def seed(port, import_dir, rows):
    """A new app with `rows` endpoints imported by one CreateImportJob; the app id and the timings."""
    path = os.path.join(import_dir, "segments.jsonl")
    started = time.time()
    write_endpoints(path, rows)
    written_s = time.time() - started
    app = ra.create_app(port, "segments")
    base = "http://127.0.0.1:%d" % port
    connection = http.client.HTTPConnection("127.0.0.1", port)
    request = {"Format": "JSON", "S3Url": "file://" + path, "RoleArn": "arn:aws:iam::000000000000:role/import",
               "RegisterEndpoints": True}
    started = time.time()
    status, body = ra.call(connection, base, "POST", "/v1/apps/%s/jobs/import" % app, json.dumps(request).encode())
    if status != 201:
        sys.exit("CreateImportJob answered %d: %s" % (status, body[:300]))
    job = json.loads(body)["Id"]
    last = wait_job(connection, base, "/v1/apps/%s/jobs/import/%s" % (app, job))
    if last.get("JobStatus") != "COMPLETED" or last.get("TotalFailures"):
        sys.exit("the import job ended %s" % json.dumps(last)[:500])
    os.remove(path)
    return {"app": app, "endpoints": rows, "import_s": time.time() - started, "jsonl_s": written_s}


def wait_job(connection, base, path, limit_s=1800):
    started, last = time.time(), {}
    while time.time() - started < limit_s:
        status, body = ra.call(connection, base, "GET", path)
        last = json.loads(body)
        if last.get("JobStatus") in ("COMPLETED", "FAILED"):
            break
        time.sleep(0.1)
    return last


def segment_dimensions(countries):
    """The issue's three-dimension segment, as CreateSegment's Dimensions (the harness compiles the same)."""
    return {"Attributes": {"interests": {"AttributeType": "INCLUSIVE", "Values": ["sports", "music"]}},
            "Metrics": {"score": {"ComparisonOperator": "GREATER_THAN", "Value": 50}},
            "Location": {"Country": {"DimensionType": "INCLUSIVE", "Values": countries}}}


def exports(port, app, export_dir):
    """Through the API: CreateSegment, then CreateExportJob of its members timed to COMPLETED, with the file's
    line count (the members written)."""
    base = "http://127.0.0.1:%d" % port
    connection = http.client.HTTPConnection("127.0.0.1", port)
    measured = []
    for name, countries in (("FR", ["FR"]), ("US+FR", ["US", "FR"])):
        status, body = ra.call(connection, base, "POST", "/v1/apps/%s/segments" % app, json.dumps(
            {"Name": name.replace("+", "-"), "Dimensions": segment_dimensions(countries)}).encode())
        if status != 201:
            sys.exit("CreateSegment answered %d: %s" % (status, body[:300]))
        segment = json.loads(body)["Id"]
        request = {"RoleArn": "arn:aws:iam::000000000000:role/export", "SegmentId": segment,
                   "S3UrlPrefix": "file://" + export_dir}
        started = time.time()
        status, body = ra.call(connection, base, "POST", "/v1/apps/%s/jobs/export" % app,
                               json.dumps(request).encode())
        if status != 202:
            sys.exit("CreateExportJob answered %d: %s" % (status, body[:300]))
        job = json.loads(body)["Id"]
        last = wait_job(connection, base, "/v1/apps/%s/jobs/export/%s" % (app, job))
        elapsed = time.time() - started
        if last.get("JobStatus") != "COMPLETED":
            sys.exit("the export job ended %s" % json.dumps(last)[:500])
        with gzip.open(os.path.join(export_dir, job, "endpoints-1.json.gz"), "rt") as exported:
            lines = sum(1 for _ in exported)
        measured.append({"segment": name, "members": lines, "seconds": elapsed})
    return measured


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", help="the SQLite data directory to seed or reuse (default: a new temporary one, "
                                           "removed at the end)")
    parser.add_argument("--endpoints", type=int, default=1_000_000)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db-url", help="with --store postgresql: a seeded database to reuse")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page-sizes", default="1000,5000")
    parser.add_argument("--skip-api", action="store_true", help="no /health floor")
    parser.add_argument("--skip-export", action="store_true", help="no export jobs of the segments")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk on /health")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "segments"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="waymark-segments-")
    data_dir = args.data_dir or os.path.join(work, "data")
    os.makedirs(data_dir, exist_ok=True)
    results = {"date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "store": args.store,
               "command": " ".join(["python3", "bench/run_segments.py"] + sys.argv[1:])}
    server, database = None, None
    try:
        seeded_path = os.path.join(data_dir, "segbench-seeded.json")
        seeded = json.load(open(seeded_path)) if os.path.exists(seeded_path) else {}
        import_dir = os.path.join(work, "imports")
        export_dir = os.path.join(work, "exports")
        os.makedirs(import_dir)
        os.makedirs(export_dir)
        flags = ["--import-dir", import_dir, "--export-dir", export_dir]
        if args.store == "postgresql":
            url = args.db_url or seeded.get("db_url")
            if not url:
                database, url = ra.postgres_database()
            flags += ["--db-url", url]
        else:
            url = "jdbc:sqlite:" + os.path.join(data_dir, "waymark.db")
        port = free_port()
        server, _ = ra.start_waymark(data_dir, port, os.path.join(args.out, "waymark.log"), *flags)
        if seeded.get("endpoints") != args.endpoints or seeded.get("store") != args.store:
            results["load_seed"] = load()
            seeded = dict(seed(port, import_dir, args.endpoints), store=args.store, db_url=url)
            database = None  # seeded: kept for the next run
            with open(seeded_path, "w") as out:
                json.dump(seeded, out)
            results["seed"] = seeded
        results["app"] = seeded["app"]
        if not args.skip_api:
            results["load_health"] = load()
            results["health"] = rb.wrk("health-floor-segments", "http://127.0.0.1:%d/health" % port, {}, args.out,
                                       args)
        if not args.skip_export:
            results["load_export"] = load()
            results["exports"] = exports(port, seeded["app"], export_dir)
        server.terminate()
        server.wait(timeout=60)
        server = None
        results["harness"] = harness(url, seeded["app"], args)
        results["repeat"], results["harness_loads"] = args.repeat, args.harness_loads
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(timeout=60)
        if database:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "DROP DATABASE " + database])
        shutil.rmtree(work, ignore_errors=True)
    with open(os.path.join(args.out, "summary-%s.json" % args.store), "w") as summary:
        json.dump(results, summary, indent=2)
    report(results)


def harness(url, app, args):
    """SegmentBenchmark in its own JVM with the server's heap settings, --repeat times; its JSON lines."""
    # The compiled classes first: the harness measures the code as it is now, the jar brings the libraries (lib/).
    classpath = ":".join([os.path.join(ROOT, "target", d) for d in ("classes", "test-classes")] + [rb.JAR])
    runs = []
    for repeat in range(args.repeat):
        before = load()
        command = ["java", "-XX:+ExitOnOutOfMemoryError", "-Xmx256m", "-XX:+UseParallelGC", "-cp", classpath,
                   "dev.waymark.audience.SegmentBenchmark", "--db-url", url, "--app", app,
                   "--page-sizes", args.page_sizes, "--rounds", "2",
                   "--explain", "true" if repeat == 0 else "false"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            sys.exit("SegmentBenchmark failed:\n" + done.stdout[-2000:] + done.stderr[-3000:])
        for line in done.stdout.splitlines():
            if line.startswith("{"):
                runs.append(dict(json.loads(line), repeat=repeat, load=before))
    args.harness_loads = [run["load"].split()[0] for run in runs]
    with open(os.path.join(args.out, "harness-%s.jsonl" % args.store), "w") as raw:
        raw.write("\n".join(json.dumps(run) for run in runs) + "\n")
    return runs


def report(r):
    print("Command: `%s` (%s, %s, %d cores)\n" % (r["command"], r["date"], r["store"], r["cores"]))
    if "seed" in r:
        print("Seeded %d endpoints by one JSON import job in %.1f s (load %s)\n"
              % (r["seed"]["endpoints"], r["seed"]["import_s"], r["load_seed"]))
    if "health" in r:
        h = r["health"]
        print("GET /health, the floor: %.0f req/s, p50 %s, p99 %s (load before: %s)\n"
              % (h["rps"], h["p50"], h["p99"], r["load_health"]))
    for measured in r.get("exports", []):
        print("CreateExportJob of segment %s (CreateSegment's Dimensions, through the API) to COMPLETED: %.2f s, "
              "%d members written (load before: %s)" % (measured["segment"], measured["seconds"],
                                                        measured["members"], r["load_export"]))
    if r.get("exports"):
        print()
    groups = {}
    for run in r["harness"]:
        if "seconds" in run and "segment" in run:
            groups.setdefault((run["segment"], run["what"]), {}).setdefault(run["round"], []).append(run)

    def figure(runs):
        seconds = [run["seconds"] for run in runs]
        cpu = [run["cpu_s"] for run in runs]
        return "%.2f s (%.2f–%.2f), CPU %.2f s" % (statistics.median(seconds), min(seconds), max(seconds),
                                                  statistics.median(cpu))
    print("Median of %d JVMs (min–max); round 1 is the first read of a fresh JVM, round 2 the same reads again."
          % r["repeat"])
    print("Load average (1 min) before each JVM: %s\n" % "; ".join(
        sorted({run["load"].split()[0] for run in r["harness"]}, key=r["harness_loads"].index)))
    print("| Segment | Members | What | Round 1 | Round 2 |")
    print("|---|---|---|---|---|")
    for (segment, what), rounds in groups.items():
        print("| %s | %d | %s | %s | %s |" % (segment, rounds[1][0]["members"], what, figure(rounds[1]),
                                             figure(rounds[2]) if 2 in rounds else ""))
    for run in r["harness"]:
        if "plan" in run:
            print("\n%s, %s:\n```\n%s\n%s\n```" % (run["segment"], run["what"], run["sql"], "\n".join(run["plan"])))


if __name__ == "__main__":
    main()
