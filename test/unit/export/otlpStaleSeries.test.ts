// A series sent other than 0 whose value later falls to 0 or whose row goes is sent once as 0: every series is
// cumulative and a collector keeps the last value it got (first found by a review with the real exporter and this
// receiver). The sends here go as the editor glue makes them: each built with what the last successful one left in
// the editor's state, read back through JSON as the state hands it back.
import * as assert from 'node:assert/strict';
import { buildOtlpExport, type OtlpExport, type OtlpExportInput } from '../../../src/export/otlp/metrics';
import { otlpPreviewText } from '../../../src/export/otlp/preview';
import { sendOtlpMetrics } from '../../../src/export/otlp/send';
import { otlpLastSentRecord, readOtlpLastSent } from '../../../src/export/otlp/sentSeries';
import type { LedgerEvent } from '../../../src/ledger/events';
import { loadDailyRollup } from '../../../src/report/rollupCache';
import { bundledPriceData } from '../../../src/pricing/priceData';
import { createPricer } from '../../../src/pricing/pricer';
import { priceUsageRows } from '../../../src/report/rollup';
import { accept, eventLines, retention, tempStorage, usage, writeSegment } from '../ledger/ledgerFixtures';
import { decodeMetricsRequest, type DecodedRequest } from './otlpProto';
import { startReceiver, type Receiver } from './otlpReceiver';

const TIME_ZONE = 'UTC';
const SEEN_ID = '0123456789abcdef';
const SECRET = 'install-secret';
const CANARY = 'CANARYz3v';
const T = Date.UTC(2024, 4, 1, 12);
const MAY_1_START_NS = BigInt(Date.UTC(2024, 4, 1)) * 1_000_000n;
const SINCE = '2024-04-17';
const UNTIL = '2024-05-02';

/** The state the glue keeps after a successful send, as the editor hands it back (JSON). */
type State = unknown;

async function exportOf(events: LedgerEvent[], state: State, now: number, covers = { since: SINCE, until: UNTIL }): Promise<OtlpExport> {
  const storage = await tempStorage();
  await writeSegment(storage, '2024-05-01_1_aaaaaaaa.jsonl', eventLines(events));
  const rollup = await loadDailyRollup(storage, { timeZone: TIME_ZONE });
  const priceData = bundledPriceData();
  const input: OtlpExportInput = {
    inline: rollup.inline,
    usage: priceUsageRows(rollup.usage, createPricer({ priceData })),
    timeZone: TIME_ZONE,
    now,
    resource: { serviceVersion: '0.1.0', instanceId: '0123456789abcdef' },
    priceData,
    sentBefore: { ...readOtlpLastSent(state, SEEN_ID, SECRET), ...covers },
  };
  return buildOtlpExport(input);
}

function stateAfter(built: OtlpExport): State {
  return JSON.parse(JSON.stringify(otlpLastSentRecord(SEEN_ID, '2024-05-01', built.sentSeries, SECRET))) as State;
}

interface SentPoint {
  start: bigint;
  /** A sum's value, or a histogram's count and sum. */
  value: number | { count: number; sum: number | undefined; buckets: number[] };
}

/** Every point of a request by metric name and sorted attributes. */
function pointsOf(request: DecodedRequest): Map<string, SentPoint> {
  const found = new Map<string, SentPoint>();
  for (const metric of request.resources[0].scopes[0].metrics) {
    const sums = (metric.sum?.points ?? []).map((point) => ({ attributes: point.attributes, start: point.startTimeUnixNano, value: point.value }));
    const histograms = (metric.histogram?.points ?? []).map((point) => ({
      attributes: point.attributes,
      start: point.startTimeUnixNano,
      value: { count: point.count, sum: point.sum, buckets: point.bucketCounts },
    }));
    for (const point of [...sums, ...histograms]) {
      const key = `${metric.name} ${JSON.stringify(Object.entries(point.attributes).sort(([a], [b]) => a.localeCompare(b)))}`;
      assert.ok(!found.has(key), `one point per series: ${key}`);
      found.set(key, { start: point.start, value: point.value });
    }
  }
  return found;
}

const keyOf = (points: Map<string, SentPoint>, metric: string, ...parts: string[]) =>
  [...points.keys()].filter((key) => key.startsWith(`${metric} `) && parts.every((part) => key.includes(part)));

describe('OpenTelemetry series that fall to 0', function () {
  this.timeout(30_000);
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  async function sendAll(steps: { events: LedgerEvent[]; now: number }[], initial: State = undefined): Promise<{ sent: Map<string, SentPoint>[]; built: OtlpExport[] }> {
    receiver ??= await startReceiver();
    const target = { url: receiver.url, headers: {}, timeoutMs: 5_000 };
    let state = initial;
    const built: OtlpExport[] = [];
    for (const step of steps) {
      const one = await exportOf(step.events, state, step.now);
      assert.deepEqual(await sendOtlpMetrics(one.resourceMetrics, target), { ok: true });
      state = stateAfter(one);
      built.push(one);
    }
    return { sent: receiver.requests.map((request) => pointsOf(decodeMetricsRequest(request.body))), built };
  }

  it('a requests_without_tokens series sent as 3 is sent as 0 once the responses get their token counts, and then no more', async () => {
    const noTokens = [1, 2, 3].map((n) =>
      usage({ t: T + n, id: `response-${n}`, tokensKnown: false, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 }),
    );
    // The tool wrote the token counts later: the same responses again, which replace the first copies.
    const withTokens = [1, 2, 3].map((n) => usage({ t: T + n, id: `response-${n}`, tokensKnown: true }));
    const now = Date.UTC(2024, 4, 1, 20);
    const { sent, built } = await sendAll([
      { events: noTokens, now },
      { events: [...noTokens, ...withTokens], now: now + 15 * 60_000 },
      { events: [...noTokens, ...withTokens], now: now + 30 * 60_000 },
    ]);
    const [first, second, third] = sent;
    const [key] = keyOf(first, 'assay.usage.requests_without_tokens');
    assert.ok(key, 'the first send has the series');
    assert.equal(first.get(key)?.value, 3);

    // Cumulative: the collector keeps the last value it got for a series; only a point of 0 corrects it.
    assert.deepEqual(second.get(key), { start: MAY_1_START_NS, value: 0 }, 'sent as 0, with the start it always had');
    assert.equal(built[1].zeroed, 1);
    assert.equal(third.has(key), false, 'sent as 0 once, then forgotten');
    assert.equal(built[2].zeroed, 0);
    assert.equal(third.size, second.size - 1, 'the rest is sent as before');
  });

  it('a response whose later copy names another model sends its old model\'s series as 0, the histogram as count 0 and sum 0', async () => {
    // Sent as `other` (a model the bundled price data does not name), then the same response under a named model, as a
    // newer price snapshot would name it: within the days a send covers, the `other` series would keep the counts too.
    const asOther = usage({ t: T, id: 'response-1', model: 'acme-model-1', reasoningTokens: 40 });
    const named = usage({ t: T, id: 'response-1', model: 'claude-sonnet-4-5', reasoningTokens: 40 });
    const now = Date.UTC(2024, 4, 1, 20);
    const { sent } = await sendAll([
      { events: [asOther], now },
      { events: [asOther, named], now: now + 15 * 60_000 },
      { events: [asOther, named], now: now + 30 * 60_000 },
    ]);
    const [first, second, third] = sent;
    const other = [...first.keys()].filter((key) => key.includes('"other"'));
    assert.deepEqual(
      other.map((key) => key.split(' ')[0]).sort(),
      [
        'assay.usage.cache_read_tokens',
        'assay.usage.cache_write_tokens',
        'assay.usage.reasoning_tokens',
        'assay.usage.requests',
        'gen_ai.client.token.usage',
        'gen_ai.client.token.usage',
      ],
    );
    for (const key of other) {
      const zero = key.startsWith('gen_ai.client.token.usage') ? { count: 0, sum: 0, buckets: [0] } : 0;
      assert.deepEqual(second.get(key), { start: MAY_1_START_NS, value: zero }, key);
      assert.equal(third.has(key), false, `${key}: not sent again`);
    }
    const [namedOutput] = keyOf(second, 'gen_ai.client.token.usage', '"claude-sonnet-4-5"', '"output"');
    assert.deepEqual(second.get(namedOutput)?.value, { count: 1, sum: 500, buckets: [1] });
  });

  it('a response whose later copy is of another day sends the old day\'s series as 0; a series of a day no send covers is forgotten', async () => {
    const may1 = usage({ t: T, id: 'response-1' });
    const may2 = usage({ t: T + 86_400_000, id: 'response-1' });
    const now = Date.UTC(2024, 4, 2, 20);
    const { sent, built } = await sendAll([
      { events: [may1], now },
      { events: [may1, may2], now: now + 15 * 60_000 },
    ]);
    const [requestsMay1] = keyOf(sent[0], 'assay.usage.requests', '"2024-05-01"');
    assert.equal(sent[1].get(requestsMay1)?.value, 0);
    assert.equal(keyOf(sent[1], 'assay.usage.requests', '"2024-05-02"').length, 1);

    // The next send covers the days from 2024-05-02 only: May 1 is not sent again, and no longer remembered.
    const state = stateAfter(built[0]);
    const covered = await exportOf([may1, may2], state, now, { since: '2024-05-02', until: UNTIL });
    assert.equal(covered.zeroed, 0);
    assert.ok(covered.sentSeries.length > 0);
    assert.ok(covered.sentSeries.every((series) => series.attributes['assay.day'] === '2024-05-02'));
    // Another target's state is not this one's; an older build's (no series) keeps its day.
    assert.deepEqual(readOtlpLastSent(state, 'fedcba9876543210', SECRET), { series: [], authentic: false });
    assert.deepEqual(readOtlpLastSent({ seen: SEEN_ID, day: '2024-05-01' }, SEEN_ID, SECRET), { day: '2024-05-01', series: [], authentic: false });
    assert.deepEqual(readOtlpLastSent({ seen: SEEN_ID, day: 'May 1' }, SEEN_ID, SECRET), { series: [], authentic: false });
  });

  it('remembers only the attribute values it sends, never a private name, and sends nothing private read back from the state', async () => {
    // Every kind of series: per token type, accept mode and checkpoint too.
    const events: LedgerEvent[] = [
      usage({ t: T, id: 'response-1', model: `${CANARY}-model`, session: `${CANARY}-session`, project: `${CANARY}-project` }),
      usage({ t: T, id: 'response-2', model: 'claude-sonnet-4-5', session: `${CANARY}-session` }),
      accept({ t: T, languageId: `${CANARY}-lang`, provider: `${CANARY}-tool`, workspace: `${CANARY}-ws` }),
      accept({ t: T, mode: 'word', workspace: `${CANARY}-ws` }),
      retention({ t: T + 600_000, checkpoint: 600, workspace: `${CANARY}-ws` }),
      retention({ t: T + 30_000, checkpoint: 30, workspace: `${CANARY}-ws` }),
      { v: 1, t: T, kind: 'agentEdit', id: 'edit-00000001', source: 'claude-code', model: 'claude-sonnet-4-5', session: 's1', linesAdded: 5, linesRemoved: 1 },
      { v: 1, t: T + 3_600_000, kind: 'agentRetention', editId: 'edit-00000001', editedAt: T, source: 'claude-code', model: 'claude-sonnet-4-5', checkpoint: 3600, known: true, linesAdded: 5, linesKept: 4 },
    ];
    const first = await exportOf(events, undefined, Date.UTC(2024, 4, 1, 20));
    const names = first.resourceMetrics.scopeMetrics[0].metrics.map((metric) => metric.descriptor.name);
    for (const name of ['gen_ai.client.token.usage', 'assay.inline.acceptances', 'assay.inline.retention.checked', 'assay.agent.lines.kept']) assert.ok(names.includes(name), name);
    const state = stateAfter(first);
    const stored = JSON.stringify(state);
    assert.ok(stored.includes('"other"') && stored.includes('assay.inline.acceptances'), 'the series sent are remembered');
    assert.ok(!stored.toLowerCase().includes(CANARY.toLowerCase()), 'no private name in the editor state');

    // A state another build or a hand edit wrote: a private name in a remembered series is not sent, nor an unknown
    // attribute; a malformed entry is left out; the well-formed series are still sent as 0.
    const record = state as { series: { attributes: Record<string, unknown>; metrics: string[] }[] };
    const tampered = {
      ...record,
      series: [
        ...record.series.map((series) => ({ ...series, attributes: { ...series.attributes, 'assay.language': `${CANARY}-lang` } })),
        ...record.series.map((series) => ({ ...series, attributes: { ...series.attributes, 'host.name': `${CANARY}-host` } })),
        { start: 'yesterday', attributes: {}, metrics: [`${CANARY}.metric`] },
        ...record.series,
      ],
    };
    receiver = await startReceiver();
    const second = await exportOf([], tampered, Date.UTC(2024, 4, 1, 21));
    assert.ok(second.zeroed > 0);
    assert.equal(second.zeroed, first.points);
    assert.deepEqual(await sendOtlpMetrics(second.resourceMetrics, { url: receiver.url, headers: {}, timeoutMs: 5_000 }), { ok: true });
    assert.ok(!receiver.requests[0].body.toString('latin1').toLowerCase().includes(CANARY.toLowerCase()), 'no canary in the request');
    assert.ok(!otlpPreviewText(second.resourceMetrics, { url: receiver.url, headers: {} }).toLowerCase().includes(CANARY.toLowerCase()));
    assert.deepEqual(second.sentSeries, [], 'the zeros are not remembered');
  });

  it('sends a 0 for a model an earlier release sent by name that today\'s price data no longer names, from this install\'s state only', async () => {
    // 4924437 took glm-5.3-flash out of the snapshot: a release before it sent that model's series by name, and its
    // responses now go as `other`. The state that release left holds the name; only this install's digest vouches for it.
    const now = Date.UTC(2024, 4, 1, 20);
    const first = await exportOf([usage({ t: T, id: 'response-1' })], undefined, now);
    const earlierSeries = JSON.parse(JSON.stringify(first.sentSeries).replaceAll('claude-sonnet-4-5', 'glm-5.3-flash').replaceAll('"gen_ai.provider.name":"anthropic",', '')) as OtlpExport['sentSeries'];
    const earlier = JSON.parse(JSON.stringify(otlpLastSentRecord(SEEN_ID, '2024-05-01', earlierSeries, SECRET))) as State;
    const dropped = usage({ t: T, id: 'response-1', model: 'glm-5.3-flash' });
    const second = await exportOf([dropped], earlier, now + 15 * 60_000);
    receiver = await startReceiver();
    assert.deepEqual(await sendOtlpMetrics(second.resourceMetrics, { url: receiver.url, headers: {}, timeoutMs: 5_000 }), { ok: true });
    const sent = pointsOf(decodeMetricsRequest(receiver.requests[0].body));
    const [glmRequests] = keyOf(sent, 'assay.usage.requests', '"glm-5.3-flash"');
    assert.equal(sent.get(glmRequests)?.value, 0, 'the series sent by name gets its 0');
    assert.equal(keyOf(sent, 'assay.usage.requests', '"other"').length, 1, 'the response goes as other');
    // Signed with another secret (another install's state, a hand edit): the name is sent by no one.
    const foreign = JSON.parse(JSON.stringify(otlpLastSentRecord(SEEN_ID, '2024-05-01', earlierSeries, 'another-secret'))) as State;
    const strict = await exportOf([dropped], foreign, now + 15 * 60_000);
    assert.equal(strict.zeroed, 0);
    assert.ok(!JSON.stringify(strict.resourceMetrics).includes('glm-5.3-flash'));
  });

  it('the preview shows the points of 0 exactly as they are sent', async () => {
    const asOther = usage({ t: T, id: 'response-1', model: 'acme-model-1' });
    const named = usage({ t: T, id: 'response-1', model: 'claude-sonnet-4-5' });
    const now = Date.UTC(2024, 4, 1, 20);
    const first = await exportOf([asOther], undefined, now);
    const second = await exportOf([asOther, named], stateAfter(first), now + 15 * 60_000);
    receiver = await startReceiver();
    assert.deepEqual(await sendOtlpMetrics(second.resourceMetrics, { url: receiver.url, headers: {}, timeoutMs: 5_000 }), { ok: true });
    const sent = pointsOf(decodeMetricsRequest(receiver.requests[0].body));

    const preview = JSON.parse(otlpPreviewText(second.resourceMetrics, { url: receiver.url, headers: {} })) as {
      metrics: { name: string; points: { attributes: Record<string, unknown>; value: number | { count: number; sum: number }; start: string }[] }[];
    };
    const previewed = new Map<string, SentPoint>();
    for (const metric of preview.metrics) {
      for (const point of metric.points) {
        const key = `${metric.name} ${JSON.stringify(Object.entries(point.attributes).sort(([a], [b]) => a.localeCompare(b)))}`;
        const value = typeof point.value === 'number' ? point.value : { count: point.value.count, sum: point.value.sum, buckets: [point.value.count] };
        previewed.set(key, { start: BigInt(Date.parse(point.start)) * 1_000_000n, value });
      }
    }
    assert.deepEqual(previewed, sent);
    const zeros = [...sent.values()].filter((point) => point.value === 0 || (typeof point.value === 'object' && point.value.count === 0));
    assert.equal(zeros.length, second.zeroed);
    assert.ok(zeros.length >= 5, 'the preview shows the zeros');
  });
});

