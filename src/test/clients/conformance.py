#!/usr/bin/env python3
"""The Pinpoint conformance scenario, run against a live Waymark with boto3 or with the AWS CLI v1.

    python3 conformance.py --client boto3|cli

Reads WAYMARK_URL, WAYMARK_THROTTLED_URL, WAYMARK_KEY_ID and WAYMARK_SECRET from the environment (the JUnit test
that starts Waymark sets them). Prints one line per check, "OK <check>" or "FAIL <check>: <why>", and exits 1 if
any check failed. Retries are off, so a 429 is seen once.
"""
import argparse
import copy
import datetime
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_MEMBERS = {"Id", "ApplicationId", "CreationDate", "LastModifiedDate", "State", "tags"}
SAMPLE_SEGMENTS = ("segment1", "seg1", "seg2")
PRO_IN_FRANCE = {"Attributes": {"plan": {"AttributeType": "INCLUSIVE", "Values": ["pro"]}},
                 "Metrics": {"visits": {"ComparisonOperator": "GREATER_THAN", "Value": 2.0}},
                 "Location": {"Country": {"DimensionType": "INCLUSIVE", "Values": ["FR"]}}}
TEMPLATE = "conformance-welcome"
FROM_ADDRESS = "noreply@example.com"
# The JUnit side checks that its SMTP server received the message for this address.
MAIL_TO = "conformance@example.com"
# ... and the journey's email for this one, rendered from JOURNEY_TEMPLATE with the endpoint's attributes.
JOURNEY_MAIL_TO = "journey@example.com"
JOURNEY_TEMPLATE = "conformance-journey"
JOURNEY_CHECK = "A journey delivers an email: GetJourneyExecutionMetrics, GetJourneyRunExecutionMetrics"
SMS = {"Demographic": {"Channel": {"DimensionType": "INCLUSIVE", "Values": ["SMS"]}}}


class ServiceError(Exception):
    """An error response, as the client under test reported it: its error code and message."""

    def __init__(self, code, message):
        super().__init__("%s: %s" % (code, message))
        self.code = code


class Boto3Client:
    name = "boto3"

    def __init__(self, url, key_id, secret):
        import boto3
        import botocore.config
        self.client = boto3.client(
            "pinpoint", endpoint_url=url, region_name="us-east-1", aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 1}))

    def call(self, operation, **params):
        method = re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
        try:
            response = getattr(self.client, method)(**params)
        except self.client.exceptions.ClientError as e:
            # The modeled exception class, when boto3 matched one, is itself the proof of the error type.
            matched = type(e).__name__ if type(e).__name__ != "ClientError" else "unmatched:" + e.response["Error"]["Code"]
            raise ServiceError(matched, e.response["Error"].get("Message", ""))
        response.pop("ResponseMetadata", None)
        return response


class CliClient:
    name = "aws-cli"

    def __init__(self, url, key_id, secret):
        self.url = url
        self.env = dict(os.environ, AWS_ACCESS_KEY_ID=key_id, AWS_SECRET_ACCESS_KEY=secret,
                        AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1", AWS_RETRY_MODE="standard",
                        AWS_PAGER="")
        self.env.pop("AWS_SESSION_TOKEN", None)

    def call(self, operation, **params):
        command = re.sub(r"(?<!^)(?=[A-Z])", "-", operation).lower()
        done = subprocess.run(
            ["aws", "pinpoint", command, "--endpoint-url", self.url, "--output", "json",
             "--cli-input-json", json.dumps(params, default=str)],
            env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            match = re.search(r"An error occurred \((\w+)\) when calling the (\w+) operation"
                              r"(?: \(reached max retries: \d+\))?: (.*)", done.stderr)
            if not match:
                raise ServiceError("unparsed", done.stderr.strip())
            raise ServiceError(match.group(1), match.group(3))
        return json.loads(done.stdout) if done.stdout.strip() else {}


class Scenario:
    def __init__(self, client, throttled, forbidden):
        self.client = client
        self.throttled = throttled
        self.forbidden = forbidden
        self.failures = 0

    def check(self, name, action):
        try:
            action()
            print("OK " + name, flush=True)
        except Exception as e:  # a failed check must not stop the others
            self.failures += 1
            print("FAIL %s: %s" % (name, e), flush=True)

    def expect_error(self, code, action, contains=""):
        try:
            action()
        except ServiceError as e:
            if e.code != code:
                raise AssertionError("expected %s, got %s" % (code, e))
            if contains not in str(e):
                raise AssertionError("expected a message containing %r, got %s" % (contains, e))
            return
        raise AssertionError("expected %s, but the call succeeded" % code)

    def run(self):
        call = self.client.call
        state = {}
        definition = json.load(open(os.path.join(HERE, "journey-all-kinds.json")))

        def create_app():
            app = call("CreateApp", CreateApplicationRequest={"Name": "conformance", "tags": {"team": "growth"}})
            app = app["ApplicationResponse"]
            assert re.fullmatch(r"[0-9a-f]{32}", app["Id"]), app
            assert app["tags"] == {"team": "growth"}, app
            assert app["Arn"].endswith(":apps/" + app["Id"]), app
            state["app"] = app["Id"]
            state["arn"] = app["Arn"]
        self.check("CreateApp", create_app)
        app = state.get("app", "missing")

        self.check("GetApp", lambda: expect_equal(
            call("GetApp", ApplicationId=app)["ApplicationResponse"]["Id"], app))

        def create_segments():
            ids = {}
            for name in SAMPLE_SEGMENTS:
                created = call("CreateSegment", ApplicationId=app, WriteSegmentRequest={
                    "Name": name, "Dimensions": PRO_IN_FRANCE, "tags": {"kind": "sample"}})["SegmentResponse"]
                assert re.fullmatch(r"[0-9a-f]{32}", created["Id"]), created
                expect_equal((created["SegmentType"], created["Version"], created["Name"]), ("DIMENSIONAL", 1, name))
                expect_equal(created["Dimensions"], PRO_IN_FRANCE)
                expect_equal(created["tags"], {"kind": "sample"})
                assert created["Arn"] == state["arn"] + "/segments/" + created["Id"], created
                ids[name] = created["Id"]
            state["segments"] = ids
        self.check("CreateSegment", create_segments)
        segments = state.get("segments", {})
        # The sample journeys name these segments: publishing needs them to exist.
        definition = json.loads(json.dumps(definition).replace(
            '"segment1"', json.dumps(segments.get("segment1", "segment1"))).replace(
            '"seg1"', json.dumps(segments.get("seg1", "seg1"))).replace(
            '"seg2"', json.dumps(segments.get("seg2", "seg2"))))
        segment = segments.get("segment1", "segment1")

        def segment_versions():
            updated = call("UpdateSegment", ApplicationId=app, SegmentId=segment, WriteSegmentRequest={
                "Name": "segment1", "Dimensions": SMS})["SegmentResponse"]
            expect_equal(updated["Version"], 2)
            seen = walk(lambda token: call("GetSegmentVersions", ApplicationId=app, SegmentId=segment, PageSize="1",
                                           **({"Token": token} if token else {}))["SegmentsResponse"])
            expect_equal([(s["Version"], s["Dimensions"]) for s in seen], [(1, PRO_IN_FRANCE), (2, SMS)])
            first = call("GetSegmentVersion", ApplicationId=app, SegmentId=segment, Version="1")["SegmentResponse"]
            expect_equal(first["Dimensions"], PRO_IN_FRANCE)
        self.check("UpdateSegment, GetSegmentVersion, GetSegmentVersions across pages", segment_versions)

        def journey_round_trip():
            created = call("CreateJourney", ApplicationId=app, WriteJourneyRequest=definition)["JourneyResponse"]
            state["journey"] = created["Id"]
            read = call("GetJourney", ApplicationId=app, JourneyId=created["Id"])["JourneyResponse"]
            expect_same_members(definition, read)
            assert read["State"] == "DRAFT", read["State"]
        self.check("CreateJourney and GetJourney: every member of all ten activity kinds", journey_round_trip)

        def update_journey():
            changed = dict(definition, Name="all-kinds-renamed")
            updated = call("UpdateJourney", ApplicationId=app, JourneyId=state["journey"],
                           WriteJourneyRequest=changed)["JourneyResponse"]
            expect_equal(updated["Name"], "all-kinds-renamed")
        self.check("UpdateJourney", update_journey)

        def activate():
            journey = call("UpdateJourneyState", ApplicationId=app, JourneyId=state["journey"],
                           JourneyStateRequest={"State": "ACTIVE"})["JourneyResponse"]
            expect_equal(journey["State"], "ACTIVE")
        self.check("UpdateJourneyState ACTIVE (publish)", activate)

        def list_journeys_pages():
            ids = [call("CreateJourney", ApplicationId=app, WriteJourneyRequest=simple("extra%d" % i, segment))[
                "JourneyResponse"]["Id"] for i in range(3)]
            seen = walk(lambda token: call("ListJourneys", ApplicationId=app, PageSize="2",
                                           **({"Token": token} if token else {}))["JourneysResponse"])
            expect_equal([j["Id"] for j in seen], [state["journey"]] + ids)
        self.check("ListJourneys across pages", list_journeys_pages)

        def get_apps_pages():
            extra = [call("CreateApp", CreateApplicationRequest={"Name": "page%d" % i})["ApplicationResponse"]["Id"]
                     for i in range(2)]
            seen = walk(lambda token: call("GetApps", PageSize="1", **({"Token": token} if token else {}))[
                "ApplicationsResponse"])
            expect_equal([a["Id"] for a in seen], [app] + extra)
        self.check("GetApps across pages", get_apps_pages)

        def runs_pages():
            refreshing = call("CreateJourney", ApplicationId=app, WriteJourneyRequest=dict(
                simple("refreshing", segment), State="ACTIVE", RefreshFrequency="PT1S"))["JourneyResponse"]["Id"]
            state["refreshing"] = refreshing
            deadline = time.time() + 20
            while time.time() < deadline:
                runs = call("GetJourneyRuns", ApplicationId=app, JourneyId=refreshing)["JourneyRunsResponse"]["Item"]
                if len(runs) >= 4:
                    break
                time.sleep(0.2)
            # Paused, the journey starts no run, so the walk ends: a client slower than one page a second (the
            # CLI, a process a call, on a loaded machine) would otherwise chase the run made every second.
            call("UpdateJourneyState", ApplicationId=app, JourneyId=refreshing, JourneyStateRequest={"State": "PAUSED"})
            seen = walk(lambda token: call("GetJourneyRuns", ApplicationId=app, JourneyId=refreshing, PageSize="1",
                                           **({"Token": token} if token else {}))["JourneyRunsResponse"])
            call("UpdateJourneyState", ApplicationId=app, JourneyId=refreshing, JourneyStateRequest={"State": "ACTIVE"})
            assert len(seen) >= 4, seen
            ids = [run["RunId"] for run in seen]
            assert len(set(ids)) == len(ids), ids
            times = [run["CreationTime"] for run in seen]
            assert times == sorted(times), times
            assert [run["Status"] for run in seen].count("SCHEDULED") == 1, seen
            assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", t) for t in times), times
        self.check("GetJourneyRuns across pages (runs made by the scheduler)", runs_pages)

        def execution_metrics():
            journey = state["refreshing"]
            run_id = call("GetJourneyRuns", ApplicationId=app, JourneyId=journey)["JourneyRunsResponse"]["Item"][0][
                "RunId"]
            whole = call("GetJourneyExecutionMetrics", ApplicationId=app, JourneyId=journey)[
                "JourneyExecutionMetricsResponse"]
            expect_equal([whole["ApplicationId"], whole["JourneyId"]], [app, journey])
            run = call("GetJourneyRunExecutionMetrics", ApplicationId=app, JourneyId=journey, RunId=run_id)[
                "JourneyRunExecutionMetricsResponse"]
            expect_equal([run["ApplicationId"], run["JourneyId"], run["RunId"]], [app, journey, run_id])
            for metrics in (whole, run):
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", metrics["LastEvaluatedTime"]), metrics
                assert all(re.fullmatch(r"-?\d+", value) for value in metrics["Metrics"].values()), metrics
        self.check("GetJourneyExecutionMetrics and GetJourneyRunExecutionMetrics", execution_metrics)

        def pause_resume_cancel():
            journey = state["refreshing"]
            for target in ("PAUSED", "ACTIVE", "CANCELLED"):
                result = call("UpdateJourneyState", ApplicationId=app, JourneyId=journey,
                              JourneyStateRequest={"State": target})["JourneyResponse"]
                expect_equal(result["State"], target)
            runs = call("GetJourneyRuns", ApplicationId=app, JourneyId=journey, PageSize="1000")[
                "JourneyRunsResponse"]["Item"]
            statuses = {run["Status"] for run in runs}
            assert not statuses & {"SCHEDULED", "RUNNING"}, statuses
            assert "CANCELLED" in statuses, statuses
        self.check("UpdateJourneyState PAUSED, ACTIVE, CANCELLED", pause_resume_cancel)

        def tags():
            journey_arn = state["arn"] + "/journeys/" + state["journey"]
            for arn in (state["arn"], journey_arn):
                call("TagResource", ResourceArn=arn, TagsModel={"tags": {"a": "1", "b": "2"}})
                call("UntagResource", ResourceArn=arn, TagKeys=["a"])
                tags_now = call("ListTagsForResource", ResourceArn=arn)["TagsModel"]["tags"]
                expected = {"b": "2"} if arn == journey_arn else {"team": "growth", "b": "2"}
                expect_equal(tags_now, expected)
        self.check("TagResource, UntagResource, ListTagsForResource", tags)

        self.check("NotFoundException", lambda: self.expect_error(
            "NotFoundException", lambda: call("GetApp", ApplicationId="0" * 32), "not found"))
        self.check("BadRequestException", lambda: self.expect_error(
            "BadRequestException", lambda: call("CreateJourney", ApplicationId=app,
                                                WriteJourneyRequest=simple("has spaces")), "Name must not contain spaces"))
        self.check("ConflictException", lambda: self.expect_error(
            "ConflictException", lambda: call("UpdateJourney", ApplicationId=app, JourneyId=state["journey"],
                                              WriteJourneyRequest=without_state(definition, StartActivity="wait1")),
            "cannot change once a journey is ACTIVE"))
        self.check("PayloadTooLargeException", lambda: self.expect_error(
            "PayloadTooLargeException", lambda: call("CreateJourney", ApplicationId=app, WriteJourneyRequest=dict(
                simple("huge"), StartCondition={"Description": "x" * 100000,
                                                "SegmentStartCondition": {"SegmentId": "s"}})), "larger than the limit"))
        self.check("ForbiddenException", lambda: self.expect_error(
            "ForbiddenException", lambda: self.forbidden.call("GetApps"), "Bad signature"))

        def throttled():
            self.throttled.call("GetApps")
            self.expect_error("TooManyRequestsException", lambda: self.throttled.call("GetApps"), "Rate exceeded")
        self.check("TooManyRequestsException", throttled)

        def endpoint_round_trip():
            sent = {"ChannelType": "EMAIL", "Address": "ada@example.com", "Attributes": {"Plan": ["pro", "team"]},
                    "Metrics": {"visits": 3.0}, "Demographic": {"Timezone": "Europe/Paris"},
                    "User": {"UserId": "ada", "UserAttributes": {"FirstName": ["Ada"]}}}
            accepted = call("UpdateEndpoint", ApplicationId=app, EndpointId="conformance-1",
                            EndpointRequest=sent)["MessageBody"]
            expect_equal(accepted["Message"], "Accepted")
            read = call("GetEndpoint", ApplicationId=app, EndpointId="conformance-1")["EndpointResponse"]
            for member in sent:
                expect_equal(normalise(read[member]), normalise(sent[member]))
            expect_equal(read["EndpointStatus"], "ACTIVE")
            assert re.fullmatch(r"\d{1,2}", read["CohortId"]), read
            users = call("GetUserEndpoints", ApplicationId=app, UserId="ada")["EndpointsResponse"]["Item"]
            expect_equal([e["Id"] for e in users], ["conformance-1"])
        self.check("UpdateEndpoint, GetEndpoint, GetUserEndpoints", endpoint_round_trip)

        def put_events():
            now = datetime.datetime.now(datetime.timezone.utc).isoformat()
            results = call("PutEvents", ApplicationId=app, EventsRequest={"BatchItem": {"conformance-2": {
                "Endpoint": {"ChannelType": "SMS", "Address": "+15555550100"},
                "Events": {"good": {"EventType": "signup", "Timestamp": now, "Attributes": {"plan": "pro"}},
                           "bad": {"EventType": "signup", "Timestamp": "yesterday"}}}}})["EventsResponse"]["Results"]
            item = results["conformance-2"]
            expect_equal(item["EndpointItemResponse"]["StatusCode"], 202)
            expect_equal(item["EventsItemResponse"]["good"]["StatusCode"], 202)
            expect_equal(item["EventsItemResponse"]["bad"]["StatusCode"], 400)
            read = call("GetEndpoint", ApplicationId=app, EndpointId="conformance-2")["EndpointResponse"]
            expect_equal(read["Address"], "+15555550100")
        self.check("PutEvents: one result per endpoint and per event", put_events)

        def import_job():
            directory = os.environ["WAYMARK_IMPORT_DIR"]
            name = "conformance-%s.csv" % self.client.name
            with open(os.path.join(directory, name), "w") as f:
                f.write("ChannelType,Address,Id,User.UserId,Attributes.Plan\n")
                f.write("EMAIL,one@example.com,imported-1,u1,free\nEMAIL,two@example.com,imported-2,u2,pro\n")
            job = call("CreateImportJob", ApplicationId=app, ImportJobRequest={
                "Format": "CSV", "RoleArn": "arn:aws:iam::000000000000:role/import",
                "S3Url": "file://" + os.path.join(directory, name)})["ImportJobResponse"]
            deadline = time.time() + 60
            while job["JobStatus"] not in ("COMPLETED", "FAILED") and time.time() < deadline:
                time.sleep(0.2)
                job = call("GetImportJob", ApplicationId=app, JobId=job["Id"])["ImportJobResponse"]
            expect_equal((job["JobStatus"], job["TotalProcessed"], job["TotalFailures"]), ("COMPLETED", 2, 0))
            read = call("GetEndpoint", ApplicationId=app, EndpointId="imported-2")["EndpointResponse"]
            expect_equal(read["Attributes"], {"Plan": ["pro"]})
        self.check("CreateImportJob, GetImportJob (a CSV file)", import_job)

        def email_template():
            created = call("CreateEmailTemplate", TemplateName=TEMPLATE, EmailTemplateRequest={
                "Subject": "Welcome {{Name}}", "HtmlPart": "<p>Hello {{Name}} from {{Team}}</p>",
                "TextPart": "Hello {{Name}} from {{Team}}",
                "DefaultSubstitutions": json.dumps({"Team": "Waymark"})})["CreateTemplateMessageBody"]
            assert created["Arn"].endswith(":templates/%s/EMAIL" % TEMPLATE), created
            read = call("GetEmailTemplate", TemplateName=TEMPLATE)["EmailTemplateResponse"]
            expect_equal((read["Subject"], read["Version"], read["TemplateType"]), ("Welcome {{Name}}", "1", "EMAIL"))
        self.check("CreateEmailTemplate, GetEmailTemplate", email_template)

        def email_channel():
            updated = call("UpdateEmailChannel", ApplicationId=app, EmailChannelRequest={
                "FromAddress": FROM_ADDRESS, "Identity": "arn:aws:ses:us-east-1:000000000000:identity/example.com",
                "Enabled": True})["EmailChannelResponse"]
            expect_equal((updated["Enabled"], updated["FromAddress"], updated["Platform"]), (True, FROM_ADDRESS, "EMAIL"))
            read = call("GetEmailChannel", ApplicationId=app)["EmailChannelResponse"]
            expect_equal((read["Enabled"], read["FromAddress"]), (True, FROM_ADDRESS))
        self.check("UpdateEmailChannel, GetEmailChannel", email_channel)

        def send_messages():
            response = call("SendMessages", ApplicationId=app, MessageRequest={
                "Addresses": {MAIL_TO: {"ChannelType": "EMAIL", "Substitutions": {"Name": ["Ada"]}}},
                "MessageConfiguration": {}, "TemplateConfiguration": {"EmailTemplate": {"Name": TEMPLATE}},
                "TraceId": "conformance-" + self.client.name})["MessageResponse"]
            expect_equal(response["ApplicationId"], app)
            result = response["Result"][MAIL_TO]
            expect_equal((result["DeliveryStatus"], result["StatusCode"]), ("SUCCESSFUL", 200))
            assert result.get("MessageId"), result
        self.check("SendMessages: an email template to an address, delivered over SMTP", send_messages)

        def journey_delivers():
            call("UpdateEndpoint", ApplicationId=app, EndpointId="journey-1", EndpointRequest={
                "ChannelType": "EMAIL", "Address": JOURNEY_MAIL_TO,
                "Attributes": {"FirstName": ["Grace"], "Journey": ["yes"]}})
            audience = call("CreateSegment", ApplicationId=app, WriteSegmentRequest={"Name": "journey", "Dimensions": {
                "Attributes": {"Journey": {"AttributeType": "INCLUSIVE", "Values": ["yes"]}}}})["SegmentResponse"]["Id"]
            call("CreateEmailTemplate", TemplateName=JOURNEY_TEMPLATE, EmailTemplateRequest={
                "Subject": "Journey for {{Attributes.FirstName}}", "TextPart": "Hello {{Attributes.FirstName}}",
                "HtmlPart": "<p>Hello {{Attributes.FirstName}}</p>"})
            journey = call("CreateJourney", ApplicationId=app, WriteJourneyRequest={
                "Name": "delivers", "StartActivity": "mail",
                "Activities": {"mail": {"EMAIL": {"TemplateName": JOURNEY_TEMPLATE}}},
                "StartCondition": {"SegmentStartCondition": {"SegmentId": audience}}})["JourneyResponse"]["Id"]
            call("UpdateJourneyState", ApplicationId=app, JourneyId=journey, JourneyStateRequest={"State": "ACTIVE"})
            # SUCCESS is counted once the SMTP server has accepted the email.
            deadline = time.time() + 30
            while True:
                activity = call("GetJourneyExecutionActivityMetrics", ApplicationId=app, JourneyId=journey,
                                JourneyActivityId="mail")["JourneyExecutionActivityMetricsResponse"]
                if activity["Metrics"].get("SUCCESS") == "1" or time.time() > deadline:
                    break
                time.sleep(0.2)
            expect_equal((activity["ActivityType"], activity["Metrics"]), ("EMAIL", {"SUCCESS": "1"}))
            passed = {"ENDPOINT_PRODUCED": "1", "ENDPOINT_ENTERED": "1", "ENDPOINT_ACTIVE": "0", "ENDPOINT_LEFT": "1"}
            whole = call("GetJourneyExecutionMetrics", ApplicationId=app, JourneyId=journey)[
                "JourneyExecutionMetricsResponse"]
            expect_equal(whole["Metrics"], passed)
            runs = call("GetJourneyRuns", ApplicationId=app, JourneyId=journey)["JourneyRunsResponse"]["Item"]
            expect_equal(len(runs), 1)
            run = call("GetJourneyRunExecutionMetrics", ApplicationId=app, JourneyId=journey, RunId=runs[0]["RunId"])[
                "JourneyRunExecutionMetricsResponse"]
            expect_equal(run["Metrics"], passed)
        self.check(JOURNEY_CHECK, journey_delivers)

        def delete():
            deleted = call("DeleteJourney", ApplicationId=app, JourneyId=state["journey"])["JourneyResponse"]
            expect_equal(deleted["Id"], state["journey"])
            self.expect_error("NotFoundException", lambda: call("GetJourney", ApplicationId=app,
                                                                JourneyId=state["journey"]))
            expect_equal(call("DeleteApp", ApplicationId=app)["ApplicationResponse"]["Id"], app)
            self.expect_error("NotFoundException", lambda: call("GetApp", ApplicationId=app))
        self.check("DeleteJourney and DeleteApp", delete)
        return self.failures


def simple(name, segment="segment1"):
    return {"Name": name, "StartActivity": "send",
            "Activities": {"send": {"EMAIL": {"TemplateName": "welcome"}}},
            "StartCondition": {"SegmentStartCondition": {"SegmentId": segment}}}


def without_state(definition, **changes):
    """The definition as a client edits an ACTIVE journey: its State left out, so only the edit is judged."""
    edited = dict(definition, **changes)
    edited.pop("State", None)
    return edited


def walk(fetch):
    items, token, pages = [], None, 0
    while True:
        page = fetch(token)
        items.extend(page.get("Item", []))
        token = page.get("NextToken")
        pages += 1
        if not token or pages > 1000:
            return items


def expect_equal(actual, expected):
    if actual != expected:
        raise AssertionError("expected %r, got %r" % (expected, actual))


def normalise(value):
    """Dates as the clients return them (datetime objects or strings in any ISO form) become comparable."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds")
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds")
    return value


def expect_same_members(sent, received):
    sent = normalise({k: v for k, v in copy.deepcopy(sent).items() if k not in SERVER_MEMBERS})
    received = normalise({k: v for k, v in received.items() if k not in SERVER_MEMBERS})
    for member in sorted(set(sent) | set(received)):
        if sent.get(member) != received.get(member):
            raise AssertionError("member %s differs: sent %r, got back %r" % (member, sent.get(member),
                                                                              received.get(member)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", choices=["boto3", "cli"], required=True)
    args = parser.parse_args()
    make = Boto3Client if args.client == "boto3" else CliClient
    key_id, secret = os.environ["WAYMARK_KEY_ID"], os.environ["WAYMARK_SECRET"]
    scenario = Scenario(make(os.environ["WAYMARK_URL"], key_id, secret),
                        make(os.environ["WAYMARK_THROTTLED_URL"], key_id, secret),
                        make(os.environ["WAYMARK_URL"], key_id, "the-wrong-secret"))
    failures = scenario.run()
    print("%d failed" % failures)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
