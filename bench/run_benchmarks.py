#!/usr/bin/env python3
"""Waymark benchmarks: GetJourneyRuns throughput and latency, the HTTP floor, moto, paging, writes, start-up, memory.

    python3 bench/run_benchmarks.py [--duration 15] [--warmup 30] [--connections 64] [--out bench/results]
                                    [--reads-only]   (while iterating: no moto, no writes)

Everything runs on this machine and sends traffic to 127.0.0.1 only:
 1. generates a dataset (10,000 journeys, 1,000,000 runs, one journey with 100,000 of them) in Waymark's export
    format and loads it through the store with `waymark import`;
 2. starts Waymark on it with ./waymark and its defaults (timing the start-up), and `moto_server`;
 3. warms the JVM up (wrk on the measured requests, --warmup seconds each), then measures with wrk (2 threads,
    64 connections): GetJourneyRuns page-size 100 of the big journey, GetJourneyRuns of 1,000 journeys in turn,
    GET /health (the floor), and GetApp on Waymark and on moto, each request signed with SigV4 (headers computed
    once, valid for 5 minutes);
 4. measures CreateJourney (wrk) and UpdateJourneyState (Python threads) per second, and the resident memory;
 5. starts Waymark again with --run-page-cache-mb 0, measures the same GetJourneyRuns page read from the store
    every time and GET /health again (the floor beside it in time), walks every page of the 100,000-run journey
    and times the first and the last page.
Raw wrk output goes to --out; the summary is printed as Markdown for BENCHMARKS.md.
"""
import argparse
import datetime
import hashlib
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from bench_common import free_port, sigv4_headers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "waymark-0.1.0-SNAPSHOT.jar")
KEY_ID, SECRET = "AKIDBENCHMARK", "bench-secret-key"
APP = "a" * 32
BIG = "b" * 32
JOURNEYS, RUNS, BIG_RUNS = 10_000, 1_000_000, 100_000



def signed_headers(method, url, body=b""):
    return sigv4_headers(KEY_ID, SECRET, method, url, body)


def export_tables():
    """The tables of an export, in the order of TransferTable.ALL, read from its source (the trailer lists them all)."""
    with open(os.path.join(ROOT, "src", "main", "java", "dev", "waymark", "store", "sql", "TransferTable.java")) as java:
        return re.findall(r'new TransferTable\("(\w+)"', java.read())


def generate(path):
    """The dataset in `waymark export` format: one app, 10,000 draft journeys, 1,000,000 completed runs."""
    base = 1_767_225_600_000  # 2026-01-01
    definition = json.dumps({"Name": "bench", "StartActivity": "send",
                             "Activities": {"send": {"EMAIL": {"TemplateName": "welcome"}}},
                             "StartCondition": {"SegmentStartCondition": {"SegmentId": "everyone"}}})
    digest = hashlib.sha256()
    # The trailer lists every table `waymark import` knows, the empty ones as 0.
    counts = {table: 0 for table in export_tables()}
    with open(path, "w") as out:
        def row(table, values):
            line = json.dumps({"table": table, "row": values}, separators=(",", ":")) + "\n"
            digest.update(line.encode())
            counts[table] += 1
            out.write(line)
        # Apps and journeys carry the position they are listed by (migration V4).
        row("sequences", {"name": "apps", "last_value": 1})
        row("apps", {"id": APP, "name": "bench", "created_ms": base, "seq": 1, "last_journey_seq": JOURNEYS})
        ids = [BIG] + ["%032x" % (0xc << 120 | i) for i in range(1, JOURNEYS)]
        for i, journey in enumerate(ids):
            row("journeys", {"id": journey, "app_id": APP, "name": "bench%d" % i, "state": "DRAFT",
                             "definition": definition, "created_ms": base + i, "modified_ms": base + i,
                             "version": 1, "next_wake_ms": None, "seq": i + 1})
        others = (RUNS - BIG_RUNS) // (JOURNEYS - 1)
        run_number = 0
        for i, journey in enumerate(ids):
            count = BIG_RUNS if journey == BIG else others + (1 if i <= (RUNS - BIG_RUNS) % (JOURNEYS - 1) else 0)
            for sequence in range(1, count + 1):
                run_number += 1
                at = base + sequence * 60_000
                row("journey_runs", {"run_id": "%032x" % (0xd << 120 | run_number), "journey_id": journey,
                                     "sequence": sequence, "status": "COMPLETED", "scheduled_ms": at,
                                     "created_ms": at, "updated_ms": at + 5, "started_ms": at})
        # The last line `waymark import` checks: the row counts and the SHA-256 of every line before it.
        out.write(json.dumps({"trailer": {"rows": counts, "sha256": digest.hexdigest()}}, separators=(",", ":")) + "\n")
    return run_number


def start_waymark(data_dir, port, *flags):
    """Starts Waymark as a user does, with ./waymark and its default JVM options; returns it and its start-up time."""
    env = dict(os.environ, WAYMARK_ACCESS_KEY_ID=KEY_ID, WAYMARK_SECRET_ACCESS_KEY=SECRET)
    started = time.time()
    process = subprocess.Popen([os.path.join(ROOT, "waymark"), "serve", "--port", str(port), "--data-dir", data_dir,
                                *flags], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    for line in process.stdout:
        if "Waymark listening" in line:
            return process, time.time() - started
    sys.exit("Waymark did not start")


def wrk(name, url, headers, out_dir, args, method="GET", body=None, duration=None):
    script = os.path.join(out_dir, name + ".lua")
    with open(script, "w") as lua:
        lua.write('wrk.method = "%s"\n' % method)
        for key, value in headers.items():
            lua.write('wrk.headers["%s"] = %s\n' % (key, json.dumps(value)))
        if body is not None:
            lua.write("wrk.body = %s\n" % json.dumps(body.decode()))
    return run_wrk(name, script, url, out_dir, args, duration)


def wrk_round_robin(name, base, paths, out_dir, args, duration=None):
    """GETs of many paths in turn, each signed once beforehand (wrk cannot sign)."""
    script = os.path.join(out_dir, name + ".lua")
    with open(script, "w") as lua:
        lua.write("local requests = {}\nlocal next = 0\nfunction init(args)\n")
        for path in paths:
            headers = signed_headers("GET", base + path)
            headers["Host"] = base.split("//", 1)[1]
            lua.write("  requests[#requests + 1] = wrk.format(\"GET\", %s, {%s})\n" % (json.dumps(path), ", ".join(
                "[%s] = %s" % (json.dumps(k), json.dumps(v)) for k, v in headers.items())))
        lua.write("end\nfunction request()\n  next = next % #requests + 1\n  return requests[next]\nend\n")
    return run_wrk(name, script, base + paths[0], out_dir, args, duration)


def run_wrk(name, script, url, out_dir, args, duration=None):
    command = ["wrk", "-t2", "-c%d" % args.connections, "-d%ds" % (duration or args.duration), "--latency", "-s",
               script, url]
    output = subprocess.run(command, capture_output=True, text=True).stdout
    with open(os.path.join(out_dir, name + ".txt"), "w") as raw:
        raw.write("$ " + " ".join(command) + "\n" + output)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: re.search(r"^\s+%s%%\s+(\S+)" % p, output, re.M).group(1) for p in ("50", "99")}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    # Waymark's own paths take a bounded number of requests at once (SystemPathStep), so 64 connections on /health
    # get a few 429s (counted in the report); any other failure means the figure measures errors.
    allowed = total // 100 if "health" in name else 0
    if non2xx and int(non2xx.group(1)) > allowed and "moto" not in name:
        sys.exit("%s: %s of the answers were not 2xx; see %s" % (name, non2xx.group(1), raw.name))
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"], "p99_ms": milliseconds(latency["99"]),
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "raw": output}


def milliseconds(wrk_time):
    """A time as wrk prints it (850.00us, 12.34ms, 1.20s, 2.00m) in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", wrk_time).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def get(connection, url_path, base):
    headers = signed_headers("GET", base + url_path)
    started = time.perf_counter()
    connection.request("GET", url_path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError("%s -> %d %s" % (url_path, response.status, body[:200]))
    return json.loads(body), elapsed


def walk_pages(base, port):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    path = "/v1/apps/%s/journeys/%s/runs?page-size=100" % (APP, BIG)
    tokens, started, items = [None], time.perf_counter(), 0
    while True:
        token = tokens[-1]
        page, _ = get(connection, path + ("&token=" + token if token else ""), base)
        items += len(page["Item"])
        if not page.get("NextToken"):
            break
        tokens.append(page["NextToken"])
    walk_seconds = time.perf_counter() - started
    timings = {}
    for name, token in (("first", None), ("last", tokens[-1])):
        samples = []
        for _ in range(200):
            _, elapsed = get(connection, path + ("&token=" + token if token else ""), base)
            samples.append(elapsed * 1000)
        timings[name] = statistics.median(samples)
    return items, len(tokens), walk_seconds, timings


def update_state_rate(base, port, seconds=10, threads=4):
    """Each thread toggles its own refreshing journeys between PAUSED and ACTIVE."""
    connection = http.client.HTTPConnection("127.0.0.1", port)

    def post(path, document):
        body = json.dumps(document).encode()
        connection.request("POST", path, body=body, headers=signed_headers("POST", base + path, body))
        response = connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 201:
            sys.exit("POST %s answered %d: %s" % (path, response.status, answer))
        return answer["Id"]

    # An ACTIVE journey must start from a segment of its app.
    segment = post("/v1/apps/%s/segments" % APP, {"Name": "everyone", "Dimensions": {}})
    journeys = [post("/v1/apps/%s/journeys" % APP, {
        "Name": "toggle%d" % i, "State": "ACTIVE", "RefreshFrequency": "PT1H", "StartActivity": "send",
        "Activities": {"send": {"EMAIL": {}}}, "StartCondition": {"SegmentStartCondition": {"SegmentId": segment}}})
        for i in range(threads)]
    counts = [0] * threads
    deadline = time.time() + seconds

    def toggle(index):
        own = http.client.HTTPConnection("127.0.0.1", port)
        path = "/v1/apps/%s/journeys/%s/state" % (APP, journeys[index])
        state = "PAUSED"
        while time.time() < deadline:
            body = json.dumps({"State": state}).encode()
            own.request("PUT", path, body=body, headers=signed_headers("PUT", base + path, body))
            response = own.getresponse()
            response.read()
            if response.status == 200:
                counts[index] += 1
                state = "ACTIVE" if state == "PAUSED" else "PAUSED"
    workers = [threading.Thread(target=toggle, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / seconds


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as status:
        return int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1)) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=30, help="seconds of each warm-up run")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    parser.add_argument("--reads-only", action="store_true",
                        help="while iterating: skip moto and the writes (the final figures come without it)")
    args = parser.parse_args()
    for tool in ("wrk", "java") + (() if args.reads_only else ("moto_server",)):
        if not shutil.which(tool):
            sys.exit("%s is not installed (wrk: apt-get install wrk; moto_server comes with moto)" % tool)
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-q", "-B", "-DskipTests", "package"], cwd=ROOT, check=True)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="waymark-bench-")
    results = {"date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "connections": args.connections}
    processes = []
    try:
        dataset = os.path.join(work, "dataset.jsonl")
        started = time.time()
        results["runs"] = generate(dataset)
        results["generate_s"] = time.time() - started
        data_dir = os.path.join(work, "data")
        started = time.time()
        subprocess.run(["java", "-jar", JAR, "import", dataset, "--data-dir", data_dir], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, WAYMARK_ACCESS_KEY_ID=KEY_ID, WAYMARK_SECRET_ACCESS_KEY=SECRET))
        results["import_s"] = time.time() - started

        port = free_port()
        waymark, results["startup_s"] = start_waymark(data_dir, port)
        processes.append(waymark)
        base = "http://127.0.0.1:%d" % port
        moto_port = free_port()
        if not args.reads_only:
            moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(moto_port)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(moto)
        moto_base = "http://127.0.0.1:%d" % moto_port
        for _ in range(0 if args.reads_only else 100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", moto_port)
                body = json.dumps({"Name": "bench"}).encode()
                connection.request("POST", "/v1/apps", body=body, headers=signed_headers("POST", moto_base + "/v1/apps", body))
                moto_app = json.loads(connection.getresponse().read())["Id"]
                break
            except (ConnectionError, OSError):
                time.sleep(0.2)

        runs_path = "/v1/apps/%s/journeys/%s/runs?page-size=100" % (APP, BIG)
        runs_headers = signed_headers("GET", base + runs_path)
        # 1,000 other journeys, about 90 runs each: one page with no page after it, so never a settled page.
        many_paths = ["/v1/apps/%s/journeys/%032x/runs?page-size=100" % (APP, 0xc << 120 | i) for i in range(1, 1001)]
        app_path = "/v1/apps/" + APP
        # The JIT compiles the request path over the first minute of traffic on 2 shared cores; measure after it.
        wrk("warmup-runs", base + runs_path, runs_headers, args.out, args, duration=args.warmup)
        wrk_round_robin("warmup-many", base, many_paths, args.out, args, duration=args.warmup)
        wrk("warmup-app", base + app_path, signed_headers("GET", base + app_path), args.out, args, duration=args.warmup)
        results["runs_rps"] = wrk("get-journey-runs", base + runs_path, runs_headers, args.out, args)
        results["many_rps"] = wrk_round_robin("get-journey-runs-1000-journeys", base, many_paths, args.out, args)
        results["health"] = wrk("health-floor", base + "/health", {}, args.out, args)
        results["getapp"] = wrk("waymark-get-app", base + app_path, signed_headers("GET", base + app_path), args.out, args)
        if not args.reads_only:
            measure_moto_and_writes(results, base, port, moto_base, moto_app, args)
        results["rss_mb"] = rss_mb(waymark.pid)
        waymark.terminate()
        waymark.wait(timeout=60)
        measure_uncached(results, data_dir, runs_path, many_paths, processes, args)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    with open(os.path.join(args.out, "summary.json"), "w") as summary:
        json.dump({k: v for k, v in results.items() if not isinstance(v, dict)} | {
            k: {kk: vv for kk, vv in v.items() if kk != "raw"} for k, v in results.items() if isinstance(v, dict)},
            summary, indent=2)
    report(results)


def measure_moto_and_writes(results, base, port, moto_base, moto_app, args):
    """moto's GetApp, then CreateJourney and UpdateJourneyState on Waymark."""
    moto_path = "/v1/apps/" + moto_app
    results["moto"] = wrk("moto-get-app", moto_base + moto_path, signed_headers("GET", moto_base + moto_path),
                          args.out, args)
    body = json.dumps({"Name": "created", "StartActivity": "send", "Activities": {"send": {"EMAIL": {}}},
                       "StartCondition": {"SegmentStartCondition": {"SegmentId": "s"}}}).encode()
    create_path = "/v1/apps/%s/journeys" % APP
    results["create"] = wrk("create-journey", base + create_path, signed_headers("POST", base + create_path, body),
                            args.out, args, method="POST", body=body)
    results["update_state_per_s"] = update_state_rate(base, port)


def measure_uncached(results, data_dir, runs_path, many_paths, processes, args):
    """A second server with no page cache: the same page and the 1,000 journeys read and encoded every time."""
    # The same server with no page cache: every GetJourneyRuns reads its page from the store and encodes it.
    port = free_port()
    waymark, results["startup_uncached_s"] = start_waymark(data_dir, port, "--run-page-cache-mb", "0")
    processes.append(waymark)
    base = "http://127.0.0.1:%d" % port
    runs_headers = signed_headers("GET", base + runs_path)
    wrk("warmup-uncached", base + runs_path, runs_headers, args.out, args, duration=args.warmup)
    wrk_round_robin("warmup-uncached-many", base, many_paths, args.out, args, duration=args.warmup)
    results["uncached_rps"] = wrk("get-journey-runs-uncached", base + runs_path, runs_headers, args.out, args)
    # The floor again, next to the uncached page in time: the machine's load moves both alike.
    results["uncached_health"] = wrk("health-floor-uncached", base + "/health", {}, args.out, args)
    (results["walk_items"], results["walk_pages"], results["walk_s"],
     results["page_ms"]) = walk_pages(base, port)
    results["rss_uncached_mb"] = rss_mb(waymark.pid)


def report(r):
    floor, runs = r["health"]["rps"], r["runs_rps"]["rps"]

    def row(figure, measured, target=""):
        print("| %s | %s | %s |" % (figure, measured, target))

    def rate(w):
        return "%.0f req/s, p50 %s, p99 %s (%d non-2xx)" % (w["rps"], w["p50"], w["p99"], w["non2xx"])

    def share(rps, of):
        return "%.0f %%" % (100 * rps / of)
    print("| Figure | Measured | Target |")
    print("|---|---|---|")
    row("GetJourneyRuns, page-size 100, 64 connections (a settled page, kept encoded)", rate(r["runs_rps"]),
        "≥ 10,000 req/s, p99 < 20 ms")
    row("GetJourneyRuns, the same page, `--run-page-cache-mb 0` (read and encoded every time)", rate(r["uncached_rps"]),
        "p99 ≤ 20 ms")
    row("GetJourneyRuns, 1,000 journeys in turn (~90 runs each, never settled, so never kept)", rate(r["many_rps"]),
        "p99 ≤ 20 ms")
    row("GET /health (the floor), same settings", rate(r["health"]))
    row("GET /health on the second server (the floor of the uncached page)", rate(r["uncached_health"]))
    row("GetJourneyRuns settled page / floor", share(runs, floor), "≥ 25 %")
    row("GetJourneyRuns uncached page / floor of the second server", share(r["uncached_rps"]["rps"],
                                                                          r["uncached_health"]["rps"]), "≥ 30 %")
    row("GetJourneyRuns 1,000 journeys / floor", share(r["many_rps"]["rps"], floor), "≥ 30 %")
    # With every connection always busy, connections ÷ req/s is the mean time a request takes (Little's law). The
    # p99 in units of that mean shows whether a case adds a tail of its own or only takes longer on average.
    def tail(w):
        return w["p99_ms"] * w["rps"] / r["connections"] / 1000

    row("p99 ÷ mean time (connections ÷ req/s): uncached page, 1,000 journeys, /health, second /health",
        "%.1f, %.1f, %.1f, %.1f" % (tail(r["uncached_rps"]), tail(r["many_rps"]), tail(r["health"]),
                                    tail(r["uncached_health"])))
    row("Waymark GetApp", rate(r["getapp"]), "p99 ≤ 20 ms")
    row("Waymark GetApp / floor", share(r["getapp"]["rps"], floor), "≥ 50 %")
    if "moto" in r:
        row("moto GetApp", rate(r["moto"]))
        row("Waymark GetApp / moto GetApp", "%.0f ×" % (r["getapp"]["rps"] / r["moto"]["rps"]), "≥ 50 ×")
    row("Walk of the 100,000-run journey (no page cache)", "%d runs in %d pages, %.1f s" % (
        r["walk_items"], r["walk_pages"], r["walk_s"]))
    row("First page / last page (no page cache, median of 200)", "%.2f ms / %.2f ms (last = %.2f × first)" % (
        r["page_ms"]["first"], r["page_ms"]["last"], r["page_ms"]["last"] / r["page_ms"]["first"]), "≤ 1.5 ×")
    if "create" in r:
        row("CreateJourney", "%.0f per second (%d non-2xx)" % (r["create"]["rps"], r["create"]["non2xx"]))
        row("UpdateJourneyState (4 Python threads)", "%.0f per second" % r["update_state_per_s"])
    row("Start-up with the dataset", "%.2f s (second start: %.2f s)" % (r["startup_s"], r["startup_uncached_s"]), "< 2 s")
    row("Resident memory after the runs", "%.0f MB (second server: %.0f MB)" % (r["rss_mb"], r["rss_uncached_mb"]),
        "< 512 MB")
    row("Dataset: generate / import", "%.1f s / %.1f s for %d runs" % (r["generate_s"], r["import_s"], r["runs"]))


if __name__ == "__main__":
    main()
