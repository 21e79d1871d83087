import * as assert from 'node:assert/strict';
import { reportCsv } from '../../../src/cli/reportCsv';
import type { InlineRow, UsageRow } from '../../../src/report/rows';
import { parseCsv } from './csvParse';

describe('assay report --csv cells', () => {
  it('keeps a spreadsheet from reading a cell that starts with = + - @ as a formula', () => {
    // Rows hold allowlisted names only; this guards the day that changes.
    const inline: InlineRow = {
      date: '2026-03-01', kind: 'inline', languageId: '=HYPERLINK("http://x","y")', provider: '@SUM(A1)',
      acceptances: { full: 1, word: 0, line: 0 }, acceptedChars: 5, acceptedLines: 1, opportunities: 2, typedChars: 3, aiChars: 5,
      agentEditsInEditor: 2, agentCharsInEditor: 40, retention: {},
    };
    const usage: UsageRow = {
      date: '2026-03-01', kind: 'usage', source: '+cmd', model: '-2+3',
      inputTokens: 1, outputTokens: 2, reasoningTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUSD: 0.5, requests: 1, requestsWithoutTokens: 0,
    };
    const [header, inlineCells, usageCells] = parseCsv(reportCsv([inline, usage]));
    const cell = (record: string[], name: string) => record[header.indexOf(name)];
    assert.equal(cell(inlineCells, 'languageId'), `'=HYPERLINK("http://x","y")`);
    assert.equal(cell(inlineCells, 'provider'), "'@SUM(A1)");
    assert.equal(cell(usageCells, 'source'), "'+cmd");
    assert.equal(cell(usageCells, 'model'), "'-2+3");
    assert.equal(cell(usageCells, 'costUSD'), '0.5');
    assert.equal(cell(inlineCells, 'typedChars'), '3');
  });
});
