import * as assert from 'node:assert/strict';
import { buildOtlpExport, OTLP_METRICS, otlpMetricsFormat, type OtlpExportInput } from '../../../src/export/otlp/metrics';
import { otlpPreviewText } from '../../../src/export/otlp/preview';
import { sendOtlpMetrics } from '../../../src/export/otlp/send';
import { otlpMetricsUrl, parseOtlpHeaders, type OtlpTarget } from '../../../src/export/otlp/target';
import type { AgentEditEvent, AgentRetentionEvent, LedgerEvent } from '../../../src/ledger/events';
import { loadDailyRollup } from '../../../src/report/rollupCache';
import { bundledPriceData } from '../../../src/pricing/priceData';
import { createPricer } from '../../../src/pricing/pricer';
import { SafeMessageError } from '../../../src/privacy/errors';
import { priceUsageRows } from '../../../src/report/rollup';
import { accept, activity, eventLines, retention, tempStorage, usage, writeSegment } from '../ledger/ledgerFixtures';
import { decodeMetricsRequest, PROTO_CUMULATIVE, seriesOf, type DecodedHistogramPoint, type DecodedMetric, type DecodedRequest } from './otlpProto';
import { closedPortUrl, startReceiver, type Receiver } from './otlpReceiver';

// 2024-05-01 in New York starts at 04:00 UTC (EDT): a start time at UTC midnight would be wrong.
const TIME_ZONE = 'America/New_York';
const MAY_1_START_NS = BigInt(Date.UTC(2024, 4, 1, 4)) * 1_000_000n;
const MAY_2_START_NS = BigInt(Date.UTC(2024, 4, 2, 4)) * 1_000_000n;
const INSTANCE_ID = '0123456789abcdef';
const RESOURCE = { serviceVersion: '0.1.0', instanceId: INSTANCE_ID, teamId: 'platform-team' };

const CANARY = 'CANARYx7q';

function baseEvents(): LedgerEvent[] {
  return [
    usage({ t: Date.UTC(2024, 4, 1, 14), model: 'claude-sonnet-4-5', inputTokens: 1_000, outputTokens: 500, reasoningTokens: 100, cacheReadTokens: 10_000, cacheWrite5mTokens: 2_000 }),
    usage({ t: Date.UTC(2024, 4, 1, 15), model: 'claude-sonnet-4-5', inputTokens: 3_000, outputTokens: 700, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 }),
    usage({ t: Date.UTC(2024, 4, 2, 15), source: 'codex', model: 'gpt-5', inputTokens: 50, outputTokens: 20, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 }),
    accept({ t: Date.UTC(2024, 4, 1, 14), mode: 'full', chars: 40, lines: 2 }),
    accept({ t: Date.UTC(2024, 4, 1, 14, 5), mode: 'word', chars: 6, lines: 0 }),
    activity({ t: Date.UTC(2024, 4, 1, 14, 10), opportunities: 12, typedChars: 300 }),
    retention({ t: Date.UTC(2024, 4, 1, 14, 10), checkpoint: 600, chars: 40, arc: 30, unchanged: false }),
  ];
}

const CLAUDE_EDIT_AT = Date.UTC(2024, 4, 1, 14, 30);

function agentEdit(id: string, linesAdded: number, linesRemoved: number): AgentEditEvent {
  return { v: 1, t: CLAUDE_EDIT_AT, kind: 'agentEdit', id, source: 'claude-code', model: 'claude-sonnet-4-5', session: 's1', linesAdded, linesRemoved };
}

function agentKept(editId: string, checkpoint: number, linesAdded: number, linesKept: number, extra: Partial<AgentRetentionEvent> = {}): AgentRetentionEvent {
  const base = { v: 1, t: CLAUDE_EDIT_AT + checkpoint * 1000, kind: 'agentRetention', editId, editedAt: CLAUDE_EDIT_AT } as const;
  return { ...base, source: 'claude-code', model: 'claude-sonnet-4-5', checkpoint, known: true, linesAdded, linesKept, ...extra };
}

/**
 * Two Claude Code edits on 2024-05-01 (12 and 5 lines added, 3 and 1 removed): both measured at 1 h
 * (11 and 5 kept), the first at 1 day (0 kept: its response's 40,000 tokens are waste), the second's
 * day unknown.
 */
function agentEvents(): LedgerEvent[] {
  return [
    agentEdit('edit-00000001', 12, 3),
    agentEdit('edit-00000002', 5, 1),
    agentKept('edit-00000001', 3600, 12, 11),
    agentKept('edit-00000002', 3600, 5, 5),
    agentKept('edit-00000001', 86400, 12, 0, { wasteTokens: 40_000 }),
    agentKept('edit-00000002', 86400, 5, 0, { known: false }),
  ];
}

/** Private strings where a hostile or careless ledger could carry them. */
function canaryEvents(): LedgerEvent[] {
  return [
    usage({ t: Date.UTC(2024, 4, 1, 16), model: `${CANARY}-model`, session: `${CANARY}-session`, project: `${CANARY}-project` }),
    // Of a public model's shape, as the ledger keeps them, but naming an organisation's own deployment or fine-tune.
    usage({ t: Date.UTC(2024, 4, 1, 16), model: `${CANARY.toLowerCase()}-deployment/gpt-4o` }),
    usage({ t: Date.UTC(2024, 4, 1, 16), model: `gpt-4o-${CANARY.toLowerCase()}` }),
    accept({ t: Date.UTC(2024, 4, 1, 16), languageId: `${CANARY}-lang`, provider: `${CANARY}-tool`, workspace: `${CANARY}-ws` }),
    activity({ t: Date.UTC(2024, 4, 1, 16), languageId: `${CANARY}-lang`, provider: `${CANARY}-tool`, workspace: `${CANARY}-ws` }),
  ];
}

/** The rows the editor sends: the ledger's daily rollup with usage priced, as `assay report` builds them. */
async function inputFor(events: LedgerEvent[], overrides: Partial<OtlpExportInput> = {}): Promise<OtlpExportInput> {
  const storage = await tempStorage();
  await writeSegment(storage, '2024-05-01_1_aaaaaaaa.jsonl', eventLines(events));
  const rollup = await loadDailyRollup(storage, { timeZone: TIME_ZONE });
  const priceData = bundledPriceData();
  return {
    inline: rollup.inline,
    usage: priceUsageRows(rollup.usage, createPricer({ priceData })),
    timeZone: TIME_ZONE,
    now: Date.UTC(2024, 4, 2, 20),
    resource: RESOURCE,
    priceData,
    ...overrides,
  };
}

function target(url: string, overrides: Partial<OtlpTarget> = {}): OtlpTarget {
  return { url, headers: {}, timeoutMs: 5_000, ...overrides };
}

function metricNamed(request: DecodedRequest, name: string): DecodedMetric {
  const found = request.resources[0].scopes[0].metrics.find((metric) => metric.name === name);
  assert.ok(found, `metric ${name} was sent`);
  return found;
}

function pointsOf(request: DecodedRequest, name: string, attributes: Record<string, unknown>) {
  return (metricNamed(request, name).sum?.points ?? []).filter((point) =>
    Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
  );
}

const TOKENS = 'gen_ai.client.token.usage';

/** The points of the histogram `name` whose attributes include `attributes`. */
function histogramPointsOf(request: DecodedRequest, name: string, attributes: Record<string, unknown>): DecodedHistogramPoint[] {
  return (metricNamed(request, name).histogram?.points ?? []).filter((point) =>
    Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
  );
}

/** The one point of the histogram `name` with `attributes`, as [count, sum]. */
function countAndSum(request: DecodedRequest, name: string, attributes: Record<string, unknown>): [number, number | undefined] {
  const points = histogramPointsOf(request, name, attributes);
  assert.equal(points.length, 1, `one ${name} point for ${JSON.stringify(attributes)}`);
  return [points[0].count, points[0].sum];
}

function valueOf(request: DecodedRequest, name: string, attributes: Record<string, unknown>): number {
  const points = pointsOf(request, name, attributes);
  assert.equal(points.length, 1, `one ${name} point for ${JSON.stringify(attributes)}`);
  return points[0].value;
}

describe('OpenTelemetry export', function () {
  this.timeout(30_000);
  let receiver: Receiver | undefined;

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('sends each day\'s figures as OTLP/HTTP protobuf under GenAI and assay names, with the auth headers', async () => {
    receiver = await startReceiver();
    const built = buildOtlpExport(await inputFor(baseEvents()));
    const result = await sendOtlpMetrics(built.resourceMetrics, target(receiver.url, { headers: { Authorization: 'Bearer test-token' } }));

    assert.deepEqual(result, { ok: true });
    assert.equal(receiver.requests.length, 1);
    const [request] = receiver.requests;
    assert.equal(request.path, '/v1/metrics');
    assert.equal(request.headers['content-type'], 'application/x-protobuf');
    assert.equal(request.headers.authorization, 'Bearer test-token');
    assert.equal(request.headers['content-encoding'], 'gzip');
    const decoded = decodeMetricsRequest(request.body);

    assert.deepEqual(decoded.resources[0].attributes, {
      'service.name': 'assay',
      'service.version': '0.1.0',
      'service.instance.id': INSTANCE_ID,
      'assay.team.id': 'platform-team',
    });
    const claudeMay1 = { 'assay.day': '2024-05-01', 'assay.source': 'claude-code', 'gen_ai.request.model': 'claude-sonnet-4-5' };
    // Input counts cached input too (semantic conventions); output includes reasoning. Two responses that day.
    assert.deepEqual(countAndSum(decoded, TOKENS, { ...claudeMay1, 'gen_ai.token.type': 'input' }), [2, 1_000 + 10_000 + 2_000 + 3_000]);
    assert.deepEqual(countAndSum(decoded, TOKENS, { ...claudeMay1, 'gen_ai.token.type': 'output' }), [2, 1_200]);
    const [inputPoint] = histogramPointsOf(decoded, TOKENS, { ...claudeMay1, 'gen_ai.token.type': 'input' });
    assert.equal(inputPoint.attributes['gen_ai.provider.name'], 'anthropic');
    assert.equal(inputPoint.attributes['gen_ai.operation.name'], 'chat');
    assert.equal(inputPoint.startTimeUnixNano, MAY_1_START_NS);
    assert.equal(inputPoint.timeUnixNano, BigInt(Date.UTC(2024, 4, 2, 20)) * 1_000_000n);
    assert.equal(valueOf(decoded, 'assay.usage.cache_read_tokens', claudeMay1), 10_000);
    assert.equal(valueOf(decoded, 'assay.usage.requests', claudeMay1), 2);
    const cost = valueOf(decoded, 'assay.usage.cost', claudeMay1);
    const claudeRow = built.resourceMetrics.scopeMetrics[0].metrics.find((metric) => metric.descriptor.name === 'assay.usage.cost');
    assert.ok(cost > 0 && claudeRow?.dataPoints.some((point) => point.value === cost));
    const codexMay2 = { 'assay.day': '2024-05-02', 'assay.source': 'codex', 'gen_ai.request.model': 'gpt-5', 'gen_ai.provider.name': 'openai' };
    const [codexInput] = histogramPointsOf(decoded, TOKENS, { ...codexMay2, 'gen_ai.token.type': 'input' });
    assert.deepEqual([codexInput.count, codexInput.sum], [1, 50]);
    assert.equal(codexInput.startTimeUnixNano, MAY_2_START_NS);

    const inlineMay1 = { 'assay.day': '2024-05-01', 'assay.language': 'typescript', 'assay.assistant': 'copilot' };
    assert.equal(valueOf(decoded, 'assay.inline.acceptances', { ...inlineMay1, 'assay.accept.mode': 'full' }), 1);
    assert.equal(valueOf(decoded, 'assay.inline.acceptances', { ...inlineMay1, 'assay.accept.mode': 'word' }), 1);
    assert.equal(valueOf(decoded, 'assay.inline.accepted_lines', inlineMay1), 2);
    assert.equal(valueOf(decoded, 'assay.inline.typed_chars', inlineMay1), 300);
    assert.equal(valueOf(decoded, 'assay.inline.ai_chars', inlineMay1), 46);
    assert.equal(valueOf(decoded, 'assay.inline.suggestion_requests', inlineMay1), 12);
    const at600 = { ...inlineMay1, 'assay.retention.checkpoint_seconds': 600 };
    assert.equal(valueOf(decoded, 'assay.inline.retention.retained_chars', at600), 30);
    assert.equal(valueOf(decoded, 'assay.inline.retention.checked_chars', at600), 40);

    // The conventions' histogram: one bucket, no bounds (only day totals leave the machine). Every other metric is a sum.
    const tokens = metricNamed(decoded, TOKENS);
    assert.equal(tokens.sum, undefined);
    assert.equal(tokens.histogram?.temporality, PROTO_CUMULATIVE);
    assert.deepEqual([inputPoint.bucketCounts, inputPoint.explicitBounds], [[2], []]);
    for (const metric of decoded.resources[0].scopes[0].metrics) {
      assert.equal(metric.otherKinds, 0, `${metric.name} is a sum or the histogram`);
      if (metric.name === TOKENS) continue;
      assert.equal(metric.histogram, undefined, `${metric.name} is a sum`);
      assert.equal(metric.sum?.temporality, PROTO_CUMULATIVE, `${metric.name} is cumulative`);
      assert.equal(metric.sum?.monotonic, true);
    }
  });

  it('counts in gen_ai.client.token.usage only the responses whose tool logged token counts', async () => {
    receiver = await startReceiver();
    const noCounts = usage({ t: Date.UTC(2024, 4, 1, 16), model: 'claude-sonnet-4-5', tokensKnown: false, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 });
    const built = buildOtlpExport(await inputFor([...baseEvents(), noCounts]));
    assert.deepEqual(await sendOtlpMetrics(built.resourceMetrics, target(receiver.url)), { ok: true });
    const decoded = decodeMetricsRequest(receiver.requests[0].body);
    const claudeMay1 = { 'assay.day': '2024-05-01', 'assay.source': 'claude-code', 'gen_ai.request.model': 'claude-sonnet-4-5' };
    assert.equal(valueOf(decoded, 'assay.usage.requests', claudeMay1), 3);
    assert.equal(valueOf(decoded, 'assay.usage.requests_without_tokens', claudeMay1), 1);
    // An average of tokens per response (sum ÷ count) over the two responses that have counts, not three.
    assert.deepEqual(countAndSum(decoded, TOKENS, { ...claudeMay1, 'gen_ai.token.type': 'output' }), [2, 1_200]);

    // A day of responses none of which logged counts sends no token point at all.
    const onlyUnknown = buildOtlpExport(await inputFor([noCounts]));
    assert.equal(onlyUnknown.resourceMetrics.scopeMetrics[0].metrics.some((metric) => metric.descriptor.name === TOKENS), false);
    assert.equal(onlyUnknown.skipped, 0);
    // A row whose tokens belong to no response with counts (no importer writes one) cannot be a histogram point: it is
    // counted as skipped, once per token type, and the row's other figures are still sent.
    const input = await inputFor(baseEvents());
    const contradictory = buildOtlpExport({ ...input, usage: input.usage.map((row) => ({ ...row, requestsWithoutTokens: row.requests })) });
    assert.equal(contradictory.skipped, 2 * input.usage.length);
    const sent = contradictory.resourceMetrics.scopeMetrics[0].metrics.map((metric) => metric.descriptor.name);
    assert.ok(!sent.includes(TOKENS) && sent.includes('assay.usage.requests'));
    const preview = JSON.parse(otlpPreviewText(built.resourceMetrics, { url: receiver.url, headers: {} })) as {
      metrics: Array<{ name: string; type: string; points: Array<{ attributes: Record<string, unknown>; value: unknown }> }>;
    };
    const tokensPreview = preview.metrics.find((metric) => metric.name === TOKENS);
    assert.equal(tokensPreview?.type, 'histogram');
    assert.deepEqual(
      tokensPreview?.points.find((point) => point.attributes['assay.day'] === '2024-05-01' && point.attributes['gen_ai.token.type'] === 'output')?.value,
      { count: 2, sum: 1_200 },
    );
  });

  it('sends the day\'s agent output per source and model: lines added and removed, and per checkpoint the edits measured and lines kept', async () => {
    receiver = await startReceiver();
    // Sent a day after the edits: the 1-day checkpoint has been measured.
    const built = buildOtlpExport(await inputFor([...baseEvents(), ...agentEvents()], { now: Date.UTC(2024, 4, 2, 20) }));
    assert.deepEqual(await sendOtlpMetrics(built.resourceMetrics, target(receiver.url)), { ok: true });
    const decoded = decodeMetricsRequest(receiver.requests[0].body);
    const claudeMay1 = { 'assay.day': '2024-05-01', 'assay.source': 'claude-code', 'gen_ai.request.model': 'claude-sonnet-4-5', 'gen_ai.provider.name': 'anthropic' };
    assert.equal(valueOf(decoded, 'assay.agent.edits', claudeMay1), 2);
    assert.equal(valueOf(decoded, 'assay.agent.lines.added', claudeMay1), 17);
    assert.equal(valueOf(decoded, 'assay.agent.lines.removed', claudeMay1), 4);
    const hour = { ...claudeMay1, 'assay.retention.checkpoint_seconds': 3600 };
    const day = { ...claudeMay1, 'assay.retention.checkpoint_seconds': 86400 };
    assert.deepEqual(
      ['assay.agent.edits.known', 'assay.agent.lines.measured', 'assay.agent.lines.kept'].map((name) => valueOf(decoded, name, hour)),
      [2, 17, 16],
    );
    // The second edit's day is unknown: only the first one counts there, and it kept nothing (a zero is not sent).
    assert.deepEqual(['assay.agent.edits.known', 'assay.agent.lines.measured'].map((name) => valueOf(decoded, name, day)), [1, 12]);
    assert.deepEqual(pointsOf(decoded, 'assay.agent.lines.kept', day), []);
    assert.equal(valueOf(decoded, 'assay.agent.waste.tokens', claudeMay1), 40_000);
    assert.equal(pointsOf(decoded, 'assay.agent.lines.added', { 'assay.source': 'codex' }).length, 0, 'a row without agent edits sends no agent point');
    const [addedPoint] = pointsOf(decoded, 'assay.agent.lines.added', claudeMay1);
    assert.equal(addedPoint.startTimeUnixNano, MAY_1_START_NS, 'cumulative per day, like the token counts');
    for (const metric of decoded.resources[0].scopes[0].metrics) {
      assert.equal((metric.sum ?? metric.histogram)?.temporality, PROTO_CUMULATIVE, `${metric.name} is cumulative`);
    }

    // The preview shows the same points before anything is sent.
    const preview = JSON.parse(otlpPreviewText(built.resourceMetrics, { url: receiver.url, headers: {} })) as {
      metrics: Array<{ name: string; unit: string; points: Array<{ attributes: Record<string, unknown>; value: number }> }>;
    };
    const previewed = (name: string) => preview.metrics.find((metric) => metric.name === name);
    assert.deepEqual(previewed('assay.agent.lines.added')?.points.map((point) => point.value), [17]);
    assert.equal(previewed('assay.agent.lines.kept')?.unit, '{line}');
    assert.deepEqual(previewed('assay.agent.lines.kept')?.points.map((point) => [point.attributes['assay.retention.checkpoint_seconds'], point.value]), [[3600, 16]]);
    assert.deepEqual(previewed('assay.agent.waste.tokens')?.points.map((point) => point.value), [40_000]);
  });

  it('sends no private string a ledger line could carry, and the preview shows none either', async () => {
    receiver = await startReceiver();
    const input = await inputFor([...baseEvents(), ...canaryEvents()], {
      resource: { serviceVersion: `0.1.0-${CANARY}/x`, instanceId: INSTANCE_ID, teamId: `${CANARY} team/path` },
    });
    // Rows handed over by other code than the rollup are checked too: an unknown tool or a day that is not a date.
    const built = buildOtlpExport({
      ...input,
      usage: [...input.usage, { ...input.usage[0], source: `${CANARY}-tool` }, { ...input.usage[0], date: `${CANARY}-day` }],
    });
    assert.equal(built.skipped, 2);
    assert.deepEqual(await sendOtlpMetrics(built.resourceMetrics, target(receiver.url)), { ok: true });

    const body = receiver.requests[0].body.toString('latin1');
    assert.ok(!body.toLowerCase().includes(CANARY.toLowerCase()), 'no canary in the OTLP request');
    const preview = otlpPreviewText(built.resourceMetrics, { url: receiver.url, headers: {} });
    assert.ok(!preview.toLowerCase().includes(CANARY.toLowerCase()), 'no canary in the preview');
    // The canary rows are still counted, under `other`.
    const decoded = decodeMetricsRequest(receiver.requests[0].body);
    const otherModel = histogramPointsOf(decoded, TOKENS, { 'gen_ai.request.model': 'other', 'gen_ai.token.type': 'output' });
    // One series for the two models that became `other`, their responses and output tokens summed (500 each); the
    // deployment of gpt-4o goes as the bundled `gpt-4o`, none of its host's words.
    assert.deepEqual(otherModel.map((point) => [point.count, point.sum, point.bucketCounts]), [[2, 1_000, [2]]]);
    assert.equal(pointsOf(decoded, 'assay.inline.acceptances', { 'assay.language': 'other', 'assay.assistant': 'other' }).length, 1);
    assert.equal(decoded.resources[0].attributes['assay.team.id'], undefined);
    assert.throws(() => buildOtlpExport({ ...input, resource: { serviceVersion: '0.1.0', instanceId: `${CANARY}-host` } }), (error: unknown) => !String(error).includes(CANARY));
  });

  it('remembers a seen preview by each metric\'s name, unit and data type: one seen of the tokens as a sum is shown again', () => {
    assert.deepEqual(otlpMetricsFormat({ ...OTLP_METRICS }), otlpMetricsFormat());
    const tokensAsSum = { ...OTLP_METRICS, tokens: { ...OTLP_METRICS.tokens, kind: 'sum' as const } };
    assert.notDeepEqual(otlpMetricsFormat(tokensAsSum), otlpMetricsFormat());
    const otherUnit = { ...OTLP_METRICS, cost: { ...OTLP_METRICS.cost, unit: 'EUR' } };
    assert.notDeepEqual(otlpMetricsFormat(otherUnit), otlpMetricsFormat());
  });

  it('a resend reports the same cumulative points, and a later send the new total, never a sum of sends', async () => {
    receiver = await startReceiver();
    const first = await inputFor(baseEvents());
    await sendOtlpMetrics(buildOtlpExport(first).resourceMetrics, target(receiver.url));
    await sendOtlpMetrics(buildOtlpExport({ ...first, now: first.now + 15 * 60_000 }).resourceMetrics, target(receiver.url));
    const grown = await inputFor([...baseEvents(), usage({ t: Date.UTC(2024, 4, 1, 18), model: 'claude-sonnet-4-5', inputTokens: 7, outputTokens: 3, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 })], {
      now: first.now + 30 * 60_000,
    });
    await sendOtlpMetrics(buildOtlpExport(grown).resourceMetrics, target(receiver.url));

    assert.equal(receiver.requests.length, 3);
    const [once, again, later] = receiver.requests.map((request) => seriesOf(decodeMetricsRequest(request.body)));
    assert.deepEqual([...again.keys()], [...once.keys()]);
    for (const [key, point] of once) {
      const resent = again.get(key);
      assert.equal(resent?.value, point.value, `${key}: same value`);
      assert.equal(resent?.startTimeUnixNano, point.startTimeUnixNano, `${key}: same series start, so no counter reset`);
    }
    const outputKey = [...later.keys()].find((key) => key.startsWith('gen_ai.client.token.usage') && key.includes('"2024-05-01"') && key.includes('"output"'));
    assert.ok(outputKey);
    assert.equal(later.get(outputKey)?.value, 1_200 + 3);
    assert.equal(later.get(outputKey)?.startTimeUnixNano, once.get(outputKey)?.startTimeUnixNano);
    const claudeMay1Output = { 'assay.day': '2024-05-01', 'assay.source': 'claude-code', 'gen_ai.request.model': 'claude-sonnet-4-5', 'gen_ai.token.type': 'output' };
    assert.deepEqual(countAndSum(decodeMetricsRequest(receiver.requests[2].body), TOKENS, claudeMay1Output), [3, 1_200 + 3], 'the day\'s three responses, not a sum of sends');
  });

  it('sends none of the OTEL_* headers the environment holds for other tools, and leaves the environment as it was', async () => {
    receiver = await startReceiver();
    const names = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS'];
    const before = names.map((name) => process.env[name]);
    process.env.OTEL_EXPORTER_OTLP_HEADERS = `x-other-tool=${CANARY}-token`;
    process.env.OTEL_EXPORTER_OTLP_METRICS_HEADERS = `authorization=Bearer ${CANARY}-metrics`;
    try {
      const built = buildOtlpExport(await inputFor(baseEvents()));
      assert.deepEqual(await sendOtlpMetrics(built.resourceMetrics, target(receiver.url, { headers: { 'x-assay': 'mine' } })), { ok: true });
      const { headers } = receiver.requests[0];
      assert.equal(headers['x-assay'], 'mine');
      assert.ok(!JSON.stringify(headers).includes(CANARY), 'no header from the environment');
      assert.equal(process.env.OTEL_EXPORTER_OTLP_HEADERS, `x-other-tool=${CANARY}-token`);
    } finally {
      names.forEach((name, index) => (before[index] === undefined ? delete process.env[name] : (process.env[name] = before[index])));
    }
  });

  it('retries a collector that is briefly unavailable', async () => {
    receiver = await startReceiver((index) => (index === 0 ? 503 : 200));
    const built = buildOtlpExport(await inputFor(baseEvents()));
    assert.deepEqual(await sendOtlpMetrics(built.resourceMetrics, target(receiver.url)), { ok: true });
    assert.equal(receiver.requests.length, 2);
  });

  it('gives up on a closed port and on a collector that never answers, without throwing', async () => {
    const built = buildOtlpExport(await inputFor(baseEvents()));
    const refused = await sendOtlpMetrics(built.resourceMetrics, target(await closedPortUrl(), { timeoutMs: 1_500 }));
    assert.equal(refused.ok, false);

    receiver = await startReceiver(() => null);
    const silent = await sendOtlpMetrics(built.resourceMetrics, target(receiver.url, { timeoutMs: 1_500 }));
    assert.equal(silent.ok, false);
    assert.ok(receiver.requests.length >= 1, 'the request reached the silent collector');
  });

  it('gives up on a collector that keeps its answer coming one byte at a time', async () => {
    receiver = await startReceiver(() => 'trickle');
    const built = buildOtlpExport(await inputFor(baseEvents()));
    assert.deepEqual(await sendOtlpMetrics(built.resourceMetrics, target(receiver.url, { timeoutMs: 1_000 })), { ok: false, reason: 'timed out' });
  });

  it('refuses plain http to another host, and credentials in the URL, without repeating the endpoint', () => {
    assert.equal(otlpMetricsUrl('http://127.0.0.1:4318'), 'http://127.0.0.1:4318/v1/metrics');
    assert.equal(otlpMetricsUrl('http://localhost:4318/'), 'http://localhost:4318/v1/metrics');
    assert.equal(otlpMetricsUrl('http://[::1]:4318'), 'http://[::1]:4318/v1/metrics');
    assert.equal(otlpMetricsUrl('https://otel.example.com/otlp/v1/metrics'), 'https://otel.example.com/otlp/v1/metrics');
    for (const endpoint of [`http://${CANARY}.example.com:4318`, `http://127.0.0.1.${CANARY}.example.com`, `https://user:${CANARY}@otel.example.com`, `ftp://${CANARY}`, `not a url ${CANARY}`]) {
      assert.throws(
        () => otlpMetricsUrl(endpoint),
        (error: unknown) => error instanceof SafeMessageError && !error.message.includes(CANARY),
        endpoint,
      );
    }
    assert.throws(() => otlpMetricsUrl('http://collector.internal:4318'), /must use https/);
  });
});

describe('OpenTelemetry headers typed by the user', () => {
  it('reads name=value pairs as OTEL_EXPORTER_OTLP_HEADERS writes them', () => {
    assert.deepEqual(parseOtlpHeaders('Authorization=Bearer abc%2Cdef, x-scope-orgid = team-1'), {
      Authorization: 'Bearer abc,def',
      'x-scope-orgid': 'team-1',
    });
    assert.deepEqual(parseOtlpHeaders('  '), {});
  });

  it('refuses a header that could smuggle another line or has no name, without repeating the secret', () => {
    for (const text of [`Authorization=Bearer ${CANARY}%0D%0AX-Evil: 1`, `=${CANARY}`, `Bad Name=${CANARY}`, `Authorization=${CANARY}%E0%A4%A`]) {
      assert.throws(
        () => parseOtlpHeaders(text),
        (error: unknown) => error instanceof SafeMessageError && !error.message.includes(CANARY),
        text,
      );
    }
  });
});
