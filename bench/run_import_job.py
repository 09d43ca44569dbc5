#!/usr/bin/env python3
"""Import job throughput: how long Waymark takes to import a large Pinpoint CSV file.

Starts Waymark (./waymark serve) on a fresh SQLite data directory with --import-dir, writes a CSV of N endpoints
(ChannelType, Address, Id, User.UserId, two Attributes, a User attribute, Demographic.Timezone, Location.Country,
a Metric, OptOut), creates an app and one import job through boto3, and polls GetImportJob every 0.5 s until the job
ends. Reports the time from CreateImportJob to COMPLETED and the rows per second. Traffic goes to 127.0.0.1 only.

    python3 bench/run_import_job.py [--rows 1000000] [--keep]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY_ID, SECRET = "AKIDBENCHIMPORT", "bench-import-secret"


def start_waymark(data_dir, import_dir):
    env = dict(os.environ, WAYMARK_ACCESS_KEY_ID=KEY_ID, WAYMARK_SECRET_ACCESS_KEY=SECRET)
    process = subprocess.Popen([os.path.join(ROOT, "waymark"), "serve", "--port", "0", "--data-dir", data_dir,
                                "--import-dir", import_dir], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=env)
    deadline = time.time() + 300
    for line in process.stdout:
        match = re.search(r"Waymark listening on (http://\S+)", line)
        if match:
            return process, match.group(1)
        if time.time() > deadline:
            break
    process.kill()
    sys.exit("Waymark did not start")


def write_csv(path, rows):
    with open(path, "w") as out:
        out.write("ChannelType,Address,Id,User.UserId,Attributes.Plan,Attributes.Team,User.UserAttributes.Name,"
                  "Demographic.Timezone,Location.Country,Metrics.visits,OptOut\n")
        for i in range(rows):
            out.write("EMAIL,user%d@example.com,endpoint-%d,user-%d,plan%d,team%d,Name%d,Europe/Paris,FR,%d,NONE\n"
                      % (i, i, i, i % 7, i % 13, i, i))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="waymark-import-bench-")
    import_dir = os.path.join(work, "imports")
    os.makedirs(import_dir)
    csv = os.path.join(import_dir, "endpoints.csv")
    write_csv(csv, args.rows)
    process, url = start_waymark(os.path.join(work, "data"), import_dir)
    try:
        pinpoint = boto3.client("pinpoint", endpoint_url=url, region_name="us-east-1", aws_access_key_id=KEY_ID,
                                aws_secret_access_key=SECRET,
                                config=botocore.config.Config(retries={"max_attempts": 1}))
        app = pinpoint.create_app(CreateApplicationRequest={"Name": "bench"})["ApplicationResponse"]["Id"]
        started = time.time()
        job = pinpoint.create_import_job(ApplicationId=app, ImportJobRequest={
            "Format": "CSV", "RoleArn": "arn:aws:iam::000000000000:role/bench", "S3Url": "file://" + csv,
        })["ImportJobResponse"]
        while job["JobStatus"] not in ("COMPLETED", "FAILED"):
            time.sleep(0.5)
            job = pinpoint.get_import_job(ApplicationId=app, JobId=job["Id"])["ImportJobResponse"]
        elapsed = time.time() - started
        print("%s: %d rows processed, %d failures, in %.1f s = %.0f rows/s"
              % (job["JobStatus"], job["TotalProcessed"], job["TotalFailures"], elapsed,
                 job["TotalProcessed"] / elapsed))
    finally:
        process.terminate()
        process.wait()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
