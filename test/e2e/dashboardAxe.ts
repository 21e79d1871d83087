// axe-core run inside a page or a webview's frame, as the reader's browser renders it. The
// script is evaluated through the DevTools protocol, which the page's CSP does not govern (the
// page itself still may not eval: zod runs jitless, see src/webview/zodConfig.ts). All rules
// axe-core enables by default run (WCAG 2.0–2.2 A and AA, and best practices); none is disabled.
import * as fs from 'node:fs';
import type { AxeResults, Result } from 'axe-core';
import type { Frame, Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the document of `target`. */
export async function axeViolations(target: Page | Frame): Promise<Result[]> {
  const loaded = await target.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await target.evaluate(AXE_SOURCE);
  const results = await target.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  return results.violations;
}

/** One line per violation and one per element it names: id, impact, target and what to fix. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .map((violation) =>
      [
        `${violation.id} (${violation.impact ?? 'no impact given'}): ${violation.help}`,
        ...violation.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s*\n\s*/g, ' ') ?? ''}`),
      ].join('\n'),
    )
    .join('\n');
}

/** Fails with every violation listed when axe-core finds any on `target`. */
export async function assertNoAxeViolations(target: Page | Frame, where: string): Promise<void> {
  const violations = await axeViolations(target);
  if (violations.length > 0) throw new Error(`axe-core: ${violations.length} violation(s) ${where}:\n${describeViolations(violations)}`);
}
