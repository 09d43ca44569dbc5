#!/usr/bin/env python3
"""Run start lag: how late Waymark's scheduler starts runs that all fall due within one minute.

Starts Waymark (./waymark serve) on a fresh data directory, creates N ACTIVE segment-started journeys whose first
run is due within the same minute, waits until every first run has started and completed, and reads the run
history from the store. Reports the start lag (started - scheduled: p50, p99, max) and the run transitions per
second (SCHEDULED->RUNNING and RUNNING->COMPLETED of those runs, over the time from the first due run to the last
completion). Traffic goes to 127.0.0.1 only.

    python3 bench/run_start_lag.py [--journeys 1000] [--spread-seconds 0]
"""
import argparse
import datetime
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_waymark(data_dir):
    process = subprocess.Popen([os.path.join(ROOT, "waymark"), "serve", "--port", "0", "--data-dir", data_dir],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.time() + 300
    for line in process.stdout:
        match = re.search(r"Waymark listening on (http://\S+)", line)
        if match:
            return process, match.group(1)
        if time.time() > deadline:
            break
    process.kill()
    sys.exit("Waymark did not start")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journeys", type=int, default=1000)
    parser.add_argument("--spread-seconds", type=int, default=0,
                        help="spread the due times over this many seconds (0: all due at the same instant)")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="waymark-bench-")
    process, url = start_waymark(data_dir)
    try:
        client = boto3.client("pinpoint", endpoint_url=url, region_name="us-east-1",
                              aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="bench-secret",
                              config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 1}))
        app_id = client.create_app(CreateApplicationRequest={"Name": "bench"})["ApplicationResponse"]["Id"]
        now = datetime.datetime.now(datetime.timezone.utc)
        due = (now + datetime.timedelta(seconds=30 + args.journeys // 100)).replace(microsecond=0)
        created = time.time()
        for i in range(args.journeys):
            start = due + datetime.timedelta(seconds=(i % args.spread_seconds) if args.spread_seconds else 0)
            client.create_journey(ApplicationId=app_id, WriteJourneyRequest={
                "Name": "bench%d" % i, "State": "ACTIVE", "RefreshFrequency": "PT1H",
                "Schedule": {"StartTime": start}, "StartActivity": "send",
                "Activities": {"send": {"EMAIL": {"TemplateName": "welcome"}}},
                "StartCondition": {"SegmentStartCondition": {"SegmentId": "everyone"}}})
        creation_seconds = time.time() - created
        if datetime.datetime.now(datetime.timezone.utc) >= due:
            sys.exit("creating the journeys took longer than the lead time; lower --journeys")

        db = sqlite3.connect(os.path.join(data_dir, "waymark.db"))
        deadline = time.time() + (due - datetime.datetime.now(datetime.timezone.utc)).total_seconds() \
            + args.spread_seconds + 120
        while time.time() < deadline:
            done = db.execute("SELECT COUNT(*) FROM journey_runs WHERE sequence = 1 AND status = 'COMPLETED'").fetchone()[0]
            if done == args.journeys:
                break
            time.sleep(0.5)
        rows = db.execute("SELECT scheduled_ms, started_ms, updated_ms FROM journey_runs "
                          "WHERE sequence = 1 AND status = 'COMPLETED'").fetchall()
        second_runs = db.execute("SELECT COUNT(*) FROM journey_runs WHERE sequence = 2 AND status = 'SCHEDULED'").fetchone()[0]
    finally:
        process.terminate()
        process.wait(timeout=60)
        shutil.rmtree(data_dir, ignore_errors=True)

    if len(rows) != args.journeys:
        sys.exit("only %d of %d first runs completed" % (len(rows), args.journeys))
    lags = [started - scheduled for scheduled, started, _ in rows]
    window_ms = max(updated for _, _, updated in rows) - min(scheduled for scheduled, _, _ in rows)
    transitions = 2 * len(rows)
    print("journeys: %d (created in %.1f s), due within %d s of each other"
          % (args.journeys, creation_seconds, args.spread_seconds))
    print("start lag ms: p50 %d, p99 %d, max %d" % (percentile(lags, 0.5), percentile(lags, 0.99), max(lags)))
    print("run transitions: %d in %d ms = %.0f per second (plus %d next runs created SCHEDULED)"
          % (transitions, window_ms, transitions * 1000.0 / max(window_ms, 1), second_runs))


if __name__ == "__main__":
    main()
