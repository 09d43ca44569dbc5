// The Pinpoint conformance scenario, run against a live Waymark with the AWS SDK for JavaScript v3.
// Same checks as ../conformance.py. Reads WAYMARK_URL, WAYMARK_THROTTLED_URL, WAYMARK_KEY_ID, WAYMARK_SECRET;
// prints "OK <check>" or "FAIL <check>: <why>" per check and exits 1 if any failed. Retries are off.
'use strict';
const fs = require('fs');
const path = require('path');
const pinpoint = require('@aws-sdk/client-pinpoint');

const SERVER_MEMBERS = new Set(['Id', 'ApplicationId', 'CreationDate', 'LastModifiedDate', 'State', 'tags']);
const SAMPLE_SEGMENTS = ['segment1', 'seg1', 'seg2'];
const PRO_IN_FRANCE = {
  Attributes: { plan: { AttributeType: 'INCLUSIVE', Values: ['pro'] } },
  Metrics: { visits: { ComparisonOperator: 'GREATER_THAN', Value: 2 } },
  Location: { Country: { DimensionType: 'INCLUSIVE', Values: ['FR'] } },
};
const TEMPLATE = 'conformance-welcome';
const FROM_ADDRESS = 'noreply@example.com';
// The JUnit side checks that its SMTP server received the message for this address.
const MAIL_TO = 'conformance@example.com';
// ... and the journey's email for this one, rendered from JOURNEY_TEMPLATE with the endpoint's attributes.
const JOURNEY_MAIL_TO = 'journey@example.com';
const JOURNEY_TEMPLATE = 'conformance-journey';
const SMS = { Demographic: { Channel: { DimensionType: 'INCLUSIVE', Values: ['SMS'] } } };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

function client(url, secret) {
  return new pinpoint.PinpointClient({
    endpoint: url, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: process.env.WAYMARK_KEY_ID, secretAccessKey: secret },
  });
}

async function call(target, operation, input = {}) {
  const output = await target.send(new pinpoint[operation + 'Command'](input));
  delete output.$metadata;
  return output;
}

async function expectError(code, action, contains = '') {
  try {
    await action();
  } catch (e) {
    if (!(pinpoint[code] && e instanceof pinpoint[code])) {
      throw new Error(`expected ${code}, got ${e.name}: ${e.message}`);
    }
    if (!e.message.includes(contains)) {
      throw new Error(`expected a message containing ${JSON.stringify(contains)}, got ${e.message}`);
    }
    return;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

function expectEqual(actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`expected ${e}, got ${a}`);
}

// An object with its keys in sorted order, so that expectEqual compares maps whatever their order.
function sorted(map) {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// Dates (Date objects or ISO strings) become comparable; object keys are sorted for comparison.
function normalise(value) {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && ISO.test(value)) return new Date(value).toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, normalise(value[k])]));
  }
  return value;
}

function expectSameMembers(sent, received) {
  const members = new Set([...Object.keys(sent), ...Object.keys(received)].filter((m) => !SERVER_MEMBERS.has(m)));
  for (const member of [...members].sort()) {
    const a = JSON.stringify(normalise(sent[member]));
    const b = JSON.stringify(normalise(received[member]));
    if (a !== b) throw new Error(`member ${member} differs: sent ${a}, got back ${b}`);
  }
}

function simple(name, segment = 'segment1') {
  return {
    Name: name, StartActivity: 'send',
    Activities: { send: { EMAIL: { TemplateName: 'welcome' } } },
    StartCondition: { SegmentStartCondition: { SegmentId: segment } },
  };
}

// Every SegmentId member of a definition that names the sample segment `name` names `id` instead.
function replaceSegment(node, name, id) {
  if (Array.isArray(node)) {
    node.forEach((item) => replaceSegment(item, name, id));
  } else if (node && typeof node === 'object' && !(node instanceof Date)) {
    for (const key of Object.keys(node)) {
      if (key === 'SegmentId' && node[key] === name) node[key] = id;
      else replaceSegment(node[key], name, id);
    }
  }
}

function withoutState(definition, changes) {
  const edited = { ...definition, ...changes };
  delete edited.State;
  return edited;
}

async function walk(fetch) {
  const items = [];
  let token;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await fetch(token);
    items.push(...(page.Item || []));
    token = page.NextToken;
    if (!token) break;
  }
  return items;
}

async function main() {
  const main = client(process.env.WAYMARK_URL, process.env.WAYMARK_SECRET);
  const throttled = client(process.env.WAYMARK_THROTTLED_URL, process.env.WAYMARK_SECRET);
  const forbidden = client(process.env.WAYMARK_URL, 'the-wrong-secret');
  const definition = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'journey-all-kinds.json'), 'utf8'));
  // The JS SDK takes timestamps as Date objects.
  definition.Schedule.StartTime = new Date(definition.Schedule.StartTime);
  definition.Schedule.EndTime = new Date(definition.Schedule.EndTime);
  const state = {};
  let failures = 0;

  async function check(name, action) {
    try {
      await action();
      console.log('OK ' + name);
    } catch (e) {
      failures++;
      console.log(`FAIL ${name}: ${e.message}`);
    }
  }

  await check('CreateApp', async () => {
    const app = (await call(main, 'CreateApp', { CreateApplicationRequest: { Name: 'conformance', tags: { team: 'growth' } } })).ApplicationResponse;
    if (!/^[0-9a-f]{32}$/.test(app.Id)) throw new Error('bad id ' + app.Id);
    expectEqual(app.tags, { team: 'growth' });
    state.app = app.Id;
    state.arn = app.Arn;
  });
  const app = state.app || 'missing';
  await check('GetApp', async () => expectEqual((await call(main, 'GetApp', { ApplicationId: app })).ApplicationResponse.Id, app));
  await check('CreateSegment', async () => {
    state.segments = {};
    for (const name of SAMPLE_SEGMENTS) {
      const created = (await call(main, 'CreateSegment', { ApplicationId: app, WriteSegmentRequest: { Name: name, Dimensions: PRO_IN_FRANCE, tags: { kind: 'sample' } } })).SegmentResponse;
      if (!/^[0-9a-f]{32}$/.test(created.Id)) throw new Error('bad id ' + created.Id);
      expectEqual([created.SegmentType, created.Version, created.Name], ['DIMENSIONAL', 1, name]);
      expectEqual(normalise(created.Dimensions), normalise(PRO_IN_FRANCE));
      expectEqual(created.tags, { kind: 'sample' });
      expectEqual(created.Arn, state.arn + '/segments/' + created.Id);
      state.segments[name] = created.Id;
    }
  });
  const segments = state.segments || {};
  // The sample journeys name these segments: publishing needs them to exist.
  for (const [name, id] of Object.entries(segments)) {
    replaceSegment(definition, name, id);
  }
  const segment = segments.segment1 || 'segment1';
  await check('UpdateSegment, GetSegmentVersion, GetSegmentVersions across pages', async () => {
    const updated = (await call(main, 'UpdateSegment', { ApplicationId: app, SegmentId: segment, WriteSegmentRequest: { Name: 'segment1', Dimensions: SMS } })).SegmentResponse;
    expectEqual(updated.Version, 2);
    const seen = await walk(async (token) => (await call(main, 'GetSegmentVersions', { ApplicationId: app, SegmentId: segment, PageSize: '1', Token: token })).SegmentsResponse);
    expectEqual(normalise(seen.map((s) => [s.Version, s.Dimensions])), normalise([[1, PRO_IN_FRANCE], [2, SMS]]));
    const first = (await call(main, 'GetSegmentVersion', { ApplicationId: app, SegmentId: segment, Version: '1' })).SegmentResponse;
    expectEqual(normalise(first.Dimensions), normalise(PRO_IN_FRANCE));
  });
  await check('CreateJourney and GetJourney: every member of all ten activity kinds', async () => {
    const created = (await call(main, 'CreateJourney', { ApplicationId: app, WriteJourneyRequest: definition })).JourneyResponse;
    state.journey = created.Id;
    const read = (await call(main, 'GetJourney', { ApplicationId: app, JourneyId: created.Id })).JourneyResponse;
    expectSameMembers(definition, read);
    expectEqual(read.State, 'DRAFT');
  });
  await check('UpdateJourney', async () => {
    const updated = (await call(main, 'UpdateJourney', { ApplicationId: app, JourneyId: state.journey, WriteJourneyRequest: { ...definition, Name: 'all-kinds-renamed' } })).JourneyResponse;
    expectEqual(updated.Name, 'all-kinds-renamed');
  });
  await check('UpdateJourneyState ACTIVE (publish)', async () => {
    const journey = (await call(main, 'UpdateJourneyState', { ApplicationId: app, JourneyId: state.journey, JourneyStateRequest: { State: 'ACTIVE' } })).JourneyResponse;
    expectEqual(journey.State, 'ACTIVE');
  });
  await check('ListJourneys across pages', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await call(main, 'CreateJourney', { ApplicationId: app, WriteJourneyRequest: simple('extra' + i, segment) })).JourneyResponse.Id);
    }
    const seen = await walk(async (token) => (await call(main, 'ListJourneys', { ApplicationId: app, PageSize: '2', Token: token })).JourneysResponse);
    expectEqual(seen.map((j) => j.Id), [state.journey, ...ids]);
  });
  await check('GetApps across pages', async () => {
    const extra = [];
    for (let i = 0; i < 2; i++) {
      extra.push((await call(main, 'CreateApp', { CreateApplicationRequest: { Name: 'page' + i } })).ApplicationResponse.Id);
    }
    const seen = await walk(async (token) => (await call(main, 'GetApps', { PageSize: '1', Token: token })).ApplicationsResponse);
    expectEqual(seen.map((a) => a.Id), [app, ...extra]);
  });
  await check('GetJourneyRuns across pages (runs made by the scheduler)', async () => {
    const refreshing = (await call(main, 'CreateJourney', { ApplicationId: app, WriteJourneyRequest: { ...simple('refreshing', segment), State: 'ACTIVE', RefreshFrequency: 'PT1S' } })).JourneyResponse.Id;
    state.refreshing = refreshing;
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      const runs = (await call(main, 'GetJourneyRuns', { ApplicationId: app, JourneyId: refreshing })).JourneyRunsResponse.Item;
      if (runs.length >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Paused, the journey starts no run, so the walk ends even for a client slower than one page a second.
    await call(main, 'UpdateJourneyState', { ApplicationId: app, JourneyId: refreshing, JourneyStateRequest: { State: 'PAUSED' } });
    const seen = await walk(async (token) => (await call(main, 'GetJourneyRuns', { ApplicationId: app, JourneyId: refreshing, PageSize: '1', Token: token })).JourneyRunsResponse);
    await call(main, 'UpdateJourneyState', { ApplicationId: app, JourneyId: refreshing, JourneyStateRequest: { State: 'ACTIVE' } });
    if (seen.length < 4) throw new Error('only ' + seen.length + ' runs');
    if (new Set(seen.map((r) => r.RunId)).size !== seen.length) throw new Error('duplicate runs');
    const times = seen.map((r) => r.CreationTime);
    expectEqual(times, [...times].sort());
    expectEqual(seen.filter((r) => r.Status === 'SCHEDULED').length, 1);
  });
  await check('GetJourneyExecutionMetrics and GetJourneyRunExecutionMetrics', async () => {
    const journey = state.refreshing;
    const runId = (await call(main, 'GetJourneyRuns', { ApplicationId: app, JourneyId: journey })).JourneyRunsResponse.Item[0].RunId;
    const whole = (await call(main, 'GetJourneyExecutionMetrics', { ApplicationId: app, JourneyId: journey })).JourneyExecutionMetricsResponse;
    expectEqual([whole.ApplicationId, whole.JourneyId], [app, journey]);
    const run = (await call(main, 'GetJourneyRunExecutionMetrics', { ApplicationId: app, JourneyId: journey, RunId: runId })).JourneyRunExecutionMetricsResponse;
    expectEqual([run.ApplicationId, run.JourneyId, run.RunId], [app, journey, runId]);
    for (const metrics of [whole, run]) {
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(metrics.LastEvaluatedTime)) throw new Error('LastEvaluatedTime ' + metrics.LastEvaluatedTime);
      if (!Object.values(metrics.Metrics).every((value) => /^-?\d+$/.test(value))) throw new Error('Metrics ' + JSON.stringify(metrics.Metrics));
    }
  });
  await check('UpdateJourneyState PAUSED, ACTIVE, CANCELLED', async () => {
    for (const target of ['PAUSED', 'ACTIVE', 'CANCELLED']) {
      const result = (await call(main, 'UpdateJourneyState', { ApplicationId: app, JourneyId: state.refreshing, JourneyStateRequest: { State: target } })).JourneyResponse;
      expectEqual(result.State, target);
    }
    const runs = (await call(main, 'GetJourneyRuns', { ApplicationId: app, JourneyId: state.refreshing, PageSize: '1000' })).JourneyRunsResponse.Item;
    const statuses = new Set(runs.map((r) => r.Status));
    if (statuses.has('SCHEDULED') || statuses.has('RUNNING') || !statuses.has('CANCELLED')) throw new Error([...statuses].join(','));
  });
  await check('TagResource, UntagResource, ListTagsForResource', async () => {
    const journeyArn = state.arn + '/journeys/' + state.journey;
    for (const arn of [state.arn, journeyArn]) {
      await call(main, 'TagResource', { ResourceArn: arn, TagsModel: { tags: { a: '1', b: '2' } } });
      await call(main, 'UntagResource', { ResourceArn: arn, TagKeys: ['a'] });
      const tags = (await call(main, 'ListTagsForResource', { ResourceArn: arn })).TagsModel.tags;
      expectEqual(normalise(tags), normalise(arn === journeyArn ? { b: '2' } : { team: 'growth', b: '2' }));
    }
  });
  await check('NotFoundException', () => expectError('NotFoundException', () => call(main, 'GetApp', { ApplicationId: '0'.repeat(32) }), 'not found'));
  await check('BadRequestException', () => expectError('BadRequestException', () => call(main, 'CreateJourney', { ApplicationId: app, WriteJourneyRequest: simple('has spaces') }), 'Name must not contain spaces'));
  await check('ConflictException', () => expectError('ConflictException', () => call(main, 'UpdateJourney', { ApplicationId: app, JourneyId: state.journey, WriteJourneyRequest: withoutState(definition, { StartActivity: 'wait1' }) }), 'cannot change once a journey is ACTIVE'));
  await check('PayloadTooLargeException', () => expectError('PayloadTooLargeException', () => call(main, 'CreateJourney', { ApplicationId: app, WriteJourneyRequest: { ...simple('huge'), StartCondition: { Description: 'x'.repeat(100000), SegmentStartCondition: { SegmentId: 's' } } } }), 'larger than the limit'));
  await check('ForbiddenException', () => expectError('ForbiddenException', () => call(forbidden, 'GetApps'), 'Bad signature'));
  await check('TooManyRequestsException', async () => {
    await call(throttled, 'GetApps');
    await expectError('TooManyRequestsException', () => call(throttled, 'GetApps'), 'Rate exceeded');
  });
  await check('UpdateEndpoint, GetEndpoint, GetUserEndpoints', async () => {
    const sent = {
      ChannelType: 'EMAIL', Address: 'ada@example.com', Attributes: { Plan: ['pro', 'team'] },
      Metrics: { visits: 3 }, Demographic: { Timezone: 'Europe/Paris' },
      User: { UserId: 'ada', UserAttributes: { FirstName: ['Ada'] } },
    };
    const accepted = (await call(main, 'UpdateEndpoint', { ApplicationId: app, EndpointId: 'conformance-1', EndpointRequest: sent })).MessageBody;
    expectEqual(accepted.Message, 'Accepted');
    const read = (await call(main, 'GetEndpoint', { ApplicationId: app, EndpointId: 'conformance-1' })).EndpointResponse;
    for (const member of Object.keys(sent)) expectEqual(normalise(read[member]), normalise(sent[member]));
    expectEqual(read.EndpointStatus, 'ACTIVE');
    if (!/^\d{1,2}$/.test(read.CohortId)) throw new Error('bad CohortId ' + read.CohortId);
    const users = (await call(main, 'GetUserEndpoints', { ApplicationId: app, UserId: 'ada' })).EndpointsResponse.Item;
    expectEqual(users.map((e) => e.Id), ['conformance-1']);
  });
  await check('PutEvents: one result per endpoint and per event', async () => {
    const results = (await call(main, 'PutEvents', { ApplicationId: app, EventsRequest: { BatchItem: { 'conformance-2': {
      Endpoint: { ChannelType: 'SMS', Address: '+15555550100' },
      Events: {
        good: { EventType: 'signup', Timestamp: new Date().toISOString(), Attributes: { plan: 'pro' } },
        bad: { EventType: 'signup', Timestamp: 'yesterday' },
      },
    } } } })).EventsResponse.Results;
    const item = results['conformance-2'];
    expectEqual(item.EndpointItemResponse.StatusCode, 202);
    expectEqual(item.EventsItemResponse.good.StatusCode, 202);
    expectEqual(item.EventsItemResponse.bad.StatusCode, 400);
    const read = (await call(main, 'GetEndpoint', { ApplicationId: app, EndpointId: 'conformance-2' })).EndpointResponse;
    expectEqual(read.Address, '+15555550100');
  });
  await check('CreateImportJob, GetImportJob (a CSV file)', async () => {
    const file = path.join(process.env.WAYMARK_IMPORT_DIR, 'conformance-js.csv');
    fs.writeFileSync(file, 'ChannelType,Address,Id,User.UserId,Attributes.Plan\n'
      + 'EMAIL,one@example.com,imported-1,u1,free\nEMAIL,two@example.com,imported-2,u2,pro\n');
    let job = (await call(main, 'CreateImportJob', { ApplicationId: app, ImportJobRequest: {
      Format: 'CSV', RoleArn: 'arn:aws:iam::000000000000:role/import', S3Url: 'file://' + file,
    } })).ImportJobResponse;
    const deadline = Date.now() + 60000;
    while (!['COMPLETED', 'FAILED'].includes(job.JobStatus) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await call(main, 'GetImportJob', { ApplicationId: app, JobId: job.Id })).ImportJobResponse;
    }
    expectEqual([job.JobStatus, job.TotalProcessed, job.TotalFailures], ['COMPLETED', 2, 0]);
    const read = (await call(main, 'GetEndpoint', { ApplicationId: app, EndpointId: 'imported-2' })).EndpointResponse;
    expectEqual(read.Attributes, { Plan: ['pro'] });
  });
  await check('CreateEmailTemplate, GetEmailTemplate', async () => {
    const created = (await call(main, 'CreateEmailTemplate', { TemplateName: TEMPLATE, EmailTemplateRequest: {
      Subject: 'Welcome {{Name}}', HtmlPart: '<p>Hello {{Name}} from {{Team}}</p>',
      TextPart: 'Hello {{Name}} from {{Team}}', DefaultSubstitutions: JSON.stringify({ Team: 'Waymark' }),
    } })).CreateTemplateMessageBody;
    if (!created.Arn.endsWith(`:templates/${TEMPLATE}/EMAIL`)) throw new Error('bad Arn ' + created.Arn);
    const read = (await call(main, 'GetEmailTemplate', { TemplateName: TEMPLATE })).EmailTemplateResponse;
    expectEqual([read.Subject, read.Version, read.TemplateType], ['Welcome {{Name}}', '1', 'EMAIL']);
  });
  await check('UpdateEmailChannel, GetEmailChannel', async () => {
    const updated = (await call(main, 'UpdateEmailChannel', { ApplicationId: app, EmailChannelRequest: {
      FromAddress: FROM_ADDRESS, Identity: 'arn:aws:ses:us-east-1:000000000000:identity/example.com', Enabled: true,
    } })).EmailChannelResponse;
    expectEqual([updated.Enabled, updated.FromAddress, updated.Platform], [true, FROM_ADDRESS, 'EMAIL']);
    const read = (await call(main, 'GetEmailChannel', { ApplicationId: app })).EmailChannelResponse;
    expectEqual([read.Enabled, read.FromAddress], [true, FROM_ADDRESS]);
  });
  await check('SendMessages: an email template to an address, delivered over SMTP', async () => {
    const response = (await call(main, 'SendMessages', { ApplicationId: app, MessageRequest: {
      Addresses: { [MAIL_TO]: { ChannelType: 'EMAIL', Substitutions: { Name: ['Ada'] } } },
      MessageConfiguration: {}, TemplateConfiguration: { EmailTemplate: { Name: TEMPLATE } },
      TraceId: 'conformance-js',
    } })).MessageResponse;
    expectEqual(response.ApplicationId, app);
    const result = response.Result[MAIL_TO];
    expectEqual([result.DeliveryStatus, result.StatusCode], ['SUCCESSFUL', 200]);
    if (!result.MessageId) throw new Error('no MessageId in ' + JSON.stringify(result));
  });
  await check('A journey delivers an email: GetJourneyExecutionMetrics, GetJourneyRunExecutionMetrics', async () => {
    await call(main, 'UpdateEndpoint', { ApplicationId: app, EndpointId: 'journey-1', EndpointRequest: {
      ChannelType: 'EMAIL', Address: JOURNEY_MAIL_TO, Attributes: { FirstName: ['Grace'], Journey: ['yes'] },
    } });
    const audience = (await call(main, 'CreateSegment', { ApplicationId: app, WriteSegmentRequest: { Name: 'journey',
      Dimensions: { Attributes: { Journey: { AttributeType: 'INCLUSIVE', Values: ['yes'] } } } } })).SegmentResponse.Id;
    await call(main, 'CreateEmailTemplate', { TemplateName: JOURNEY_TEMPLATE, EmailTemplateRequest: {
      Subject: 'Journey for {{Attributes.FirstName}}', TextPart: 'Hello {{Attributes.FirstName}}',
      HtmlPart: '<p>Hello {{Attributes.FirstName}}</p>',
    } });
    const journey = (await call(main, 'CreateJourney', { ApplicationId: app, WriteJourneyRequest: {
      Name: 'delivers', StartActivity: 'mail', Activities: { mail: { EMAIL: { TemplateName: JOURNEY_TEMPLATE } } },
      StartCondition: { SegmentStartCondition: { SegmentId: audience } },
    } })).JourneyResponse.Id;
    await call(main, 'UpdateJourneyState', { ApplicationId: app, JourneyId: journey, JourneyStateRequest: { State: 'ACTIVE' } });
    // SUCCESS is counted once the SMTP server has accepted the email.
    const deadline = Date.now() + 30000;
    let activity;
    for (;;) {
      activity = (await call(main, 'GetJourneyExecutionActivityMetrics', { ApplicationId: app, JourneyId: journey, JourneyActivityId: 'mail' })).JourneyExecutionActivityMetricsResponse;
      if (activity.Metrics.SUCCESS === '1' || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expectEqual([activity.ActivityType, activity.Metrics], ['EMAIL', { SUCCESS: '1' }]);
    const passed = { ENDPOINT_PRODUCED: '1', ENDPOINT_ENTERED: '1', ENDPOINT_ACTIVE: '0', ENDPOINT_LEFT: '1' };
    const whole = (await call(main, 'GetJourneyExecutionMetrics', { ApplicationId: app, JourneyId: journey })).JourneyExecutionMetricsResponse;
    expectEqual(sorted(whole.Metrics), sorted(passed));
    const runs = (await call(main, 'GetJourneyRuns', { ApplicationId: app, JourneyId: journey })).JourneyRunsResponse.Item;
    expectEqual(runs.length, 1);
    const run = (await call(main, 'GetJourneyRunExecutionMetrics', { ApplicationId: app, JourneyId: journey, RunId: runs[0].RunId })).JourneyRunExecutionMetricsResponse;
    expectEqual(sorted(run.Metrics), sorted(passed));
  });
  await check('DeleteJourney and DeleteApp', async () => {
    expectEqual((await call(main, 'DeleteJourney', { ApplicationId: app, JourneyId: state.journey })).JourneyResponse.Id, state.journey);
    await expectError('NotFoundException', () => call(main, 'GetJourney', { ApplicationId: app, JourneyId: state.journey }));
    expectEqual((await call(main, 'DeleteApp', { ApplicationId: app })).ApplicationResponse.Id, app);
    await expectError('NotFoundException', () => call(main, 'GetApp', { ApplicationId: app }));
  });
  console.log(`${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.log('FAIL scenario: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
