#!/usr/bin/env python3
"""Server CPU per request on the read path, for comparing builds back to back on a noisy machine.

    python3 bench/read_cpu.py prepare [--data DIR]
    python3 bench/read_cpu.py startup DIR_OF_JAR [DIR_OF_JAR ...] [--rounds 3] [--data DIR]
    python3 bench/read_cpu.py measure DIR_OF_JAR[@JVM_OPTIONS] [DIR_OF_JAR ...] [--cases page,many,app,health,ps1]
                              [--rounds 2] [--warmup 15] [--duration 8] [--data DIR] [--opts "JVM OPTIONS"]
                              [--perf FILE]

`prepare` writes run_benchmarks.py's dataset (1,000,000 runs) and imports it once, keeping a copy as imported.
`startup` times each jar's first start on a fresh copy of that import, then its second start, to the "listening"
line, builds alternated for --rounds. `measure` starts each jar in
turn (a directory holding waymark-0.1.0-SNAPSHOT.jar and its lib/, copied from target/) on that data with
`--run-page-cache-mb 0`, warms each case up, then runs wrk (64 connections) and divides the process's user and
system CPU (from /proc/PID/stat) by the requests served, and the bytes the young collections freed in that window
(from the server's `-Xlog:gc`) by the same count. Cases: page (GetJourneyRuns, page-size 100 of the 100,000-run
journey), psN (the same with page-size N), many (1,000 journeys in turn), app (GetApp), health, and idle (no
requests: the server's CPU over --duration, as a share of one core).
Wall-clock rates move with whatever else the machine runs; CPU per request moves less, and alternating builds in
one run (--rounds) shows which differences are real. --perf FILE records `perf record -F 1999` of the server during
each measured case into FILE.CASE (start the JVM with --opts "-XX:+UnlockDiagnosticVMOptions
-XX:+DumpPerfMapAtExit" to name the compiled Java methods).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

import run_benchmarks as bench
from bench_common import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR_NAME = os.path.basename(bench.JAR)
# The 1,000 journeys of run_benchmarks.py's "in turn" case, ~90 runs each.
MANY = ["/v1/apps/%s/journeys/%032x/runs?page-size=100" % (bench.APP, 0xc << 120 | i) for i in range(1, 1001)]


def prepare(data):
    os.makedirs(data, exist_ok=True)
    dataset = os.path.join(data, "dataset.jsonl")
    bench.generate(dataset)
    shutil.rmtree(os.path.join(data, "data"), ignore_errors=True)
    subprocess.run(["java", "-jar", bench.JAR, "import", dataset, "--data-dir", os.path.join(data, "data")],
                   check=True, env=dict(os.environ, WAYMARK_ACCESS_KEY_ID=bench.KEY_ID,
                                        WAYMARK_SECRET_ACCESS_KEY=bench.SECRET))
    os.remove(dataset)
    shutil.rmtree(os.path.join(data, "imported"), ignore_errors=True)
    shutil.copytree(os.path.join(data, "data"), os.path.join(data, "imported"))


def startup(args):
    imported = os.path.join(args.data, "imported")
    if not os.path.isdir(imported):
        sys.exit("no copy of the import in %s: run prepare again" % args.data)
    copy = os.path.join(args.data, "startup")
    for _ in range(args.rounds):
        for build in args.builds:
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(imported, os.path.join(copy, "data"))
            times = []
            for _ in range(2):
                started = time.time()
                server = start(os.path.join(build, JAR_NAME), free_port(), copy, [])
                times.append(time.time() - started)
                server.terminate()
                server.wait()
            print("startup %-30s first %.2f s, second %.2f s" % (os.path.basename(os.path.abspath(build)), *times),
                  flush=True)
    shutil.rmtree(copy, ignore_errors=True)


def cpu_seconds(pid):
    """User and system CPU of the whole process so far."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / ticks, int(fields[12]) / ticks


def launcher_jvm_options():
    """./waymark's default JVM options, read from the launcher so that the two cannot drift apart."""
    with open(os.path.join(ROOT, "waymark")) as launcher:
        found = re.search(r"\$\{WAYMARK_JAVA_OPTS:-([^}]*)\}", launcher.read())
    if not found:
        sys.exit("cannot find the default JVM options in ./waymark")
    return found.group(1).split()


def freed_mb(gc_log, since, until):
    """MB the young collections freed between two JVM uptimes (seconds), from an -Xlog:gc file."""
    freed = 0
    with open(gc_log) as log:
        for line in log:
            found = re.search(r"\[([\d.]+)s\].*Pause Young.* (\d+)M->(\d+)M", line)
            if found and since <= float(found.group(1)) <= until:
                freed += int(found.group(2)) - int(found.group(3))
    return freed


def start(jar, port, data, jvm_options):
    env = dict(os.environ, WAYMARK_ACCESS_KEY_ID=bench.KEY_ID, WAYMARK_SECRET_ACCESS_KEY=bench.SECRET)
    command = (["java", "-XX:+ExitOnOutOfMemoryError"] + launcher_jvm_options() + jvm_options
               + ["-jar", jar, "serve", "--port", str(port), "--data-dir", os.path.join(data, "data"),
                  "--run-page-cache-mb", "0"])
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    for line in process.stdout:
        if "Waymark listening" in line:
            return process
    sys.exit("%s did not start" % jar)


def run_case(case, base, args, duration):
    if case == "many":
        return bench.wrk_round_robin("read-cpu-many", base, MANY, args.out, args, duration=duration)
    if case == "health":
        return bench.wrk("read-cpu-health", base + "/health", {}, args.out, args, duration=duration)
    if case == "app":
        path = "/v1/apps/" + bench.APP
    elif case == "page" or case.startswith("ps"):
        size = "100" if case == "page" else case[2:]
        path = "/v1/apps/%s/journeys/%s/runs?page-size=%s" % (bench.APP, bench.BIG, size)
    else:
        sys.exit("unknown case " + case)
    return bench.wrk("read-cpu-" + case, base + path, bench.signed_headers("GET", base + path), args.out, args,
                     duration=duration)


def measure(args):
    cases = args.cases.split(",")
    for _ in range(args.rounds):
        for spec in args.builds:
            # BUILD_DIR, or BUILD_DIR@JVM_OPTIONS to compare one build under options side by side.
            build, _, extra = spec.partition("@")
            jar = os.path.join(build, JAR_NAME)
            label = os.path.basename(os.path.abspath(build)) + ("@" + extra if extra else "")
            port = free_port()
            base = "http://127.0.0.1:%d" % port
            gc_log = os.path.join(args.out, "read-cpu-gc.log")
            started_at = time.time()
            server = start(jar, port, args.data, args.opts.split() + extra.split() + ["-Xlog:gc:file=" + gc_log])
            try:
                for case in cases:
                    if case not in ("health", "idle") and args.warmup:
                        run_case(case, base, args, args.warmup)
                for case in cases:
                    if case == "idle":
                        user0, system0 = cpu_seconds(server.pid)
                        time.sleep(args.duration)
                        user1, system1 = cpu_seconds(server.pid)
                        print("%-7s %-30s %5.1f %% of a core" % (
                            case, label,
                            (user1 + system1 - user0 - system0) / args.duration * 100), flush=True)
                        continue
                    perf = None
                    if args.perf:
                        perf = subprocess.Popen(["perf", "record", "-F", "1999", "-p", str(server.pid), "-o",
                                                 args.perf + "." + case, "--", "sleep", str(args.duration - 2)],
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    user0, system0 = cpu_seconds(server.pid)
                    started = time.time()
                    result = run_case(case, base, args, args.duration)
                    user1, system1 = cpu_seconds(server.pid)
                    ended = time.time()
                    if perf:
                        perf.wait()
                    served = result["rps"] * (ended - started)
                    # Uptimes of the JVM, a second inside each end of the window (the JVM started just after Popen).
                    freed = freed_mb(gc_log, started - started_at + 1, ended - started_at - 1)
                    print("%-7s %-30s %7.0f req/s  %5.0f us CPU/request (user %3.0f, system %3.0f)  p99 %s  "
                          "%5.1f KB allocated/request" % (
                              case, label,
                              result["rps"], (user1 + system1 - user0 - system0) / served * 1e6,
                              (user1 - user0) / served * 1e6, (system1 - system0) / served * 1e6, result["p99"],
                              freed * 1024 / (result["rps"] * (ended - started - 2))), flush=True)
            finally:
                server.terminate()
                server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["prepare", "measure", "startup"])
    parser.add_argument("builds", nargs="*")
    parser.add_argument("--data", default=os.path.join(ROOT, "bench", "results", "read-cpu"))
    parser.add_argument("--cases", default="page,many,app,health")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=15)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--opts", default="")
    parser.add_argument("--perf", default="")
    args = parser.parse_args()
    args.out = os.path.join(ROOT, "bench", "results")
    os.makedirs(args.out, exist_ok=True)
    if args.command == "prepare":
        prepare(args.data)
    elif args.command == "startup":
        startup(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
