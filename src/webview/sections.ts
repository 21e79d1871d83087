// How the page groups the view model's charts and tables: sections with their headings, one note
// per section for the charts that have nothing to draw (the same sentence once, not once per
// chart), and the one getting-started panel when nothing at all has data. Pure: no DOM.
import type { ChartSection, ViewModel } from '../dashboard/protocol';

export interface SectionInfo {
  title: string;
  /** Its empty charts fill from agent logs, so its note may offer "Import agent usage now". */
  offersImport: boolean;
}

/** Every section the protocol names, in page order: a section the page did not place would go where it first arrived. */
const KNOWN_SECTIONS: Record<ChartSection, SectionInfo> = {
  inline: { title: 'Inline suggestions', offersImport: false },
  usage: { title: 'Agent and chat usage', offersImport: true },
  agentOutput: { title: 'Agent output', offersImport: true },
  economics: { title: 'Cost and value', offersImport: true },
  plans: { title: 'Plans', offersImport: false },
  budgets: { title: 'Budgets', offersImport: false },
  limits: { title: 'Limits', offersImport: false },
  findings: { title: 'Findings', offersImport: false },
};

/** Known sections in this order; a section the view model adds later goes after them, in the order it arrives. */
const SECTION_ORDER = Object.keys(KNOWN_SECTIONS);

/** "agentOutput" or "agent-output" → "Agent output": a readable heading for a section this page has no title for. */
function titleFromId(id: string): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_\s]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
  const text = words.join(' ');
  return text.length === 0 ? 'More figures' : text[0].toUpperCase() + text.slice(1);
}

export function sectionInfo(id: string): SectionInfo {
  return KNOWN_SECTIONS[id as ChartSection] ?? { title: titleFromId(id), offersImport: false };
}

function rank(section: string): number {
  const known = SECTION_ORDER.indexOf(section);
  return known === -1 ? SECTION_ORDER.length : known;
}

/** Where a section goes among `existing` ones: the index to insert before, or -1 for the end. */
export function sectionInsertIndex(id: string, existing: readonly string[]): number {
  return existing.findIndex((other) => rank(other) > rank(id));
}

export interface EmptyNote {
  message: string;
  /** The titles of the charts and tables the message stands for, in page order. */
  titles: string[];
}

/** The empty charts and tables of one section, one note per distinct message, in first-seen order. */
export function emptyNotes(items: readonly { title: string; empty: string | null }[]): EmptyNote[] {
  const byMessage = new Map<string, string[]>();
  for (const item of items) {
    if (item.empty === null) continue;
    const titles = byMessage.get(item.empty) ?? [];
    titles.push(item.title);
    byMessage.set(item.empty, titles);
  }
  return [...byMessage].map(([message, titles]) => ({ message, titles }));
}

/** Nothing in view has data: the page shows its getting-started panel instead of empty cards and charts. */
export function nothingToShow(model: Pick<ViewModel, 'charts' | 'tables'>): boolean {
  const items = [...model.charts, ...model.tables];
  return items.length > 0 && items.every((item) => item.empty !== null);
}

/** With the range at "all time" and no filter, an empty view means the ledger itself is empty. */
export function ledgerIsEmpty(model: Pick<ViewModel, 'charts' | 'tables' | 'range' | 'filters'>): boolean {
  const { languageId, provider, source } = model.filters;
  return nothingToShow(model) && model.range.preset === 'all' && languageId === null && provider === null && source === null;
}

export interface GettingStartedStep {
  section: string;
  title: string;
  message: string;
}

/**
 * One line per section for the getting-started panel: the first message of the section not
 * already said by an earlier one (several sections wait on the same import).
 */
export function gettingStartedSteps(model: Pick<ViewModel, 'charts' | 'tables'>): GettingStartedStep[] {
  const items = [...model.charts, ...model.tables];
  // Array.prototype.sort is stable: sections this page does not know keep their arrival order.
  const sections = [...new Set(items.map((item) => item.section as string))].sort((a, b) => rank(a) - rank(b));
  const said = new Set<string>();
  const steps: GettingStartedStep[] = [];
  for (const section of sections) {
    const message = items.find((item) => item.section === section && item.empty !== null && !said.has(item.empty))?.empty;
    if (!message) continue;
    said.add(message);
    steps.push({ section, title: sectionInfo(section).title, message });
  }
  return steps;
}
