// The dashboard page: controls, cards, the value formula, and one panel per chart with its
// table view. Built once; each new view model updates it in place so focus and scroll survive
// live updates.
import type { Chart } from 'chart.js';
import type { Card, ChartSection, ChartSpec, RangePreset, TableSpec, ViewModel, WebviewState } from '../dashboard/protocol';
import { drawChart } from './charts';
import { append, clear, el } from './dom';
import { Formatter } from './format';
import type { Theme } from './theme';

export interface ViewActions {
  setRange(range: WebviewState['range']): void;
  setFilters(filters: WebviewState['filters']): void;
  toggleTable(chartId: string, showTable: boolean): void;
  refresh(): void;
  importUsage(): void;
  openFormulaSettings(): void;
}

const RANGE_LABELS: Record<RangePreset, string> = {
  today: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  all: 'All time',
  custom: 'Custom…',
};

const SECTIONS: { id: ChartSection; title: string }[] = [
  { id: 'inline', title: 'Inline suggestions' },
  { id: 'usage', title: 'Agent and chat usage' },
  { id: 'economics', title: 'Cost and value' },
];

function labelledSelect(id: string, label: string, onChange: (value: string) => void): { root: HTMLElement; select: HTMLSelectElement } {
  const select = el('select', { attrs: { id } });
  select.addEventListener('change', () => onChange(select.value));
  return { root: el('div', { className: 'control' }, el('label', { text: label, attrs: { for: id } }), select), select };
}

function setOptions(select: HTMLSelectElement, options: { value: string; label: string }[], selected: string): void {
  const same =
    select.options.length === options.length &&
    options.every((o, i) => select.options[i].value === o.value && select.options[i].textContent === o.label);
  if (!same) {
    clear(select);
    for (const o of options) append(select, el('option', { text: o.label, attrs: { value: o.value } }));
  }
  select.value = selected;
}

const ALL = '';

interface ChartPanel {
  root: HTMLElement;
  title: HTMLElement;
  description: HTMLElement;
  toggle: HTMLButtonElement;
  body: HTMLElement;
  canvasBox: HTMLElement;
  canvas: HTMLCanvasElement;
  tableBox: HTMLElement;
  chart?: Chart;
  spec?: ChartSpec;
}

export class DashboardView {
  private readonly header: HTMLElement;
  private readonly rangeSelect: HTMLSelectElement;
  private readonly customBox: HTMLElement;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private readonly languageSelect: HTMLSelectElement;
  private readonly providerSelect: HTMLSelectElement;
  private readonly sourceSelect: HTMLSelectElement;
  private readonly rangeSummary: HTMLElement;
  private readonly notices: HTMLElement;
  /** Replaced when a view model names another locale. */
  private format = new Formatter(navigator.language);
  private readonly sources: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly cards: HTMLElement;
  private readonly formula: HTMLElement;
  private readonly sections = new Map<ChartSection, HTMLElement>();
  private readonly panels = new Map<string, ChartPanel>();

  constructor(
    private readonly root: HTMLElement,
    private state: WebviewState,
    private theme: Theme,
    private readonly actions: ViewActions,
  ) {
    clear(root);
    const range = labelledSelect('range', 'Range', (value) => this.onRangePreset(value as RangePreset));
    this.rangeSelect = range.select;
    setOptions(
      this.rangeSelect,
      (Object.keys(RANGE_LABELS) as RangePreset[]).map((p) => ({ value: p, label: RANGE_LABELS[p] })),
      state.range.preset,
    );
    this.fromInput = el('input', { attrs: { type: 'date', id: 'range-from' } });
    this.toInput = el('input', { attrs: { type: 'date', id: 'range-to' } });
    const apply = el('button', { text: 'Apply', attrs: { type: 'button' } });
    apply.addEventListener('click', () => this.applyCustomRange());
    this.customBox = el(
      'div',
      { className: 'control custom-range' },
      el('label', { text: 'From', attrs: { for: 'range-from' } }),
      this.fromInput,
      el('label', { text: 'To', attrs: { for: 'range-to' } }),
      this.toInput,
      apply,
    );
    this.customBox.hidden = state.range.preset !== 'custom';
    const language = labelledSelect('filter-language', 'Language', () => this.onFilters());
    const provider = labelledSelect('filter-provider', 'Provider', () => this.onFilters());
    const source = labelledSelect('filter-source', 'Source', () => this.onFilters());
    this.languageSelect = language.select;
    this.providerSelect = provider.select;
    this.sourceSelect = source.select;
    const refresh = el('button', { className: 'secondary', text: 'Refresh', attrs: { type: 'button' } });
    refresh.addEventListener('click', () => actions.refresh());
    this.rangeSummary = el('p', { className: 'range-summary' });

    this.header = el(
      'header',
      { className: 'toolbar' },
      el('div', { className: 'title' }, el('h1', { text: 'Assay' }), this.rangeSummary),
      el('div', { className: 'controls', attrs: { role: 'group', 'aria-label': 'Range and filters' } }, range.root, this.customBox, language.root, provider.root, source.root, refresh),
    );
    this.banner = el('div', { className: 'banner', attrs: { role: 'alert' } });
    this.banner.hidden = true;
    this.notices = el('ul', { className: 'notices', attrs: { 'aria-label': 'Notes on these figures' } });
    this.cards = el('section', { className: 'cards', attrs: { 'aria-label': 'Overview' } });
    this.formula = el('details', { className: 'formula' });
    this.sources = el('details', { className: 'formula' });
    append(root, this.header, this.banner, this.notices, this.cards, this.formula, this.sources);
    for (const section of SECTIONS) {
      const grid = el('div', { className: 'grid' });
      this.sections.set(section.id, grid);
      append(root, el('section', { className: 'section', attrs: { 'aria-label': section.title } }, el('h2', { text: section.title }), grid));
    }
  }

  setState(state: WebviewState): void {
    this.state = state;
    this.rangeSelect.value = state.range.preset;
    this.customBox.hidden = state.range.preset !== 'custom';
    for (const [id, panel] of this.panels) this.showTable(panel, state.tables.includes(id));
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    for (const panel of this.panels.values()) {
      if (panel.spec && !panel.spec.empty) panel.chart = drawChart(panel.canvas, panel.spec, theme, this.format, panel.chart);
    }
  }

  showError(message: string): void {
    clear(this.banner);
    const retry = el('button', { text: 'Retry', attrs: { type: 'button' } });
    retry.addEventListener('click', () => this.actions.refresh());
    append(this.banner, el('p', { text: message }), retry);
    this.banner.hidden = false;
    this.root.setAttribute('aria-busy', 'false');
  }

  showLoading(): void {
    this.root.setAttribute('aria-busy', 'true');
  }

  render(model: ViewModel): void {
    if (model.locale !== this.format.locale) this.format = new Formatter(model.locale);
    const format = this.format;
    this.root.setAttribute('aria-busy', 'false');
    this.banner.hidden = true;
    this.rangeSummary.textContent = `${format.category(model.range.from, true)} – ${format.category(model.range.to, true)} · ${model.range.days} days · ${model.timeZone}`;
    this.fromInput.value = model.range.from;
    this.toInput.value = model.range.to;
    setOptions(this.languageSelect, filterOptions('All languages', model.filterOptions.languages, model.filters.languageId), model.filters.languageId ?? ALL);
    setOptions(this.providerSelect, filterOptions('All providers', model.filterOptions.providers, model.filters.provider), model.filters.provider ?? ALL);
    setOptions(this.sourceSelect, filterOptions('All sources', model.filterOptions.sources, model.filters.source), model.filters.source ?? ALL);

    clear(this.notices);
    for (const notice of model.notices) append(this.notices, el('li', { text: format.text(notice) }));
    this.notices.hidden = model.notices.length === 0;

    clear(this.cards);
    for (const card of model.cards) append(this.cards, renderCard(card, format));
    this.renderFormula(model);
    this.renderSources(model);

    const seen = new Set<string>();
    for (const spec of model.charts) {
      seen.add(spec.id);
      this.renderChart(spec);
    }
    for (const table of model.tables) {
      seen.add(table.id);
      this.renderTablePanel(table);
    }
    for (const [id, panel] of this.panels) {
      if (seen.has(id)) continue;
      panel.chart?.destroy();
      panel.root.remove();
      this.panels.delete(id);
    }
  }

  private renderFormula(model: ViewModel): void {
    const open = (this.formula as HTMLDetailsElement).open;
    const format = this.format;
    clear(this.formula);
    const terms = el('dl');
    for (const term of model.valueFormula.terms) {
      append(terms, el('dt', { text: term.label }), el('dd', { text: format.value(term.value, term.format) }));
    }
    const settings = el('button', { className: 'secondary', text: 'Change the formula’s inputs in Settings', attrs: { type: 'button' } });
    settings.addEventListener('click', () => this.actions.openFormulaSettings());
    append(
      this.formula,
      el('summary', { text: 'How the estimated value is computed' }),
      el('p', { className: 'formula-text' }, el('code', { text: format.text(model.valueFormula.formula) })),
      el('p', {
        className: 'muted',
        text: 'An estimate, not a measurement: Assay cannot observe time saved. It counts only characters still present 10 minutes after acceptance, and a fixed time per agent response.',
      }),
      terms,
      el('p', { className: 'muted', text: `Settings: ${model.valueFormula.settings.join(', ')}` }),
      el('p', { className: 'muted', text: format.text(model.valueFormula.roiFormula) }),
      settings,
    );
    (this.formula as HTMLDetailsElement).open = open;
  }

  private renderSources(model: ViewModel): void {
    const open = (this.sources as HTMLDetailsElement).open;
    clear(this.sources);
    const found = model.importSources.filter((source) => source.found);
    const summary =
      model.importSources.length === 0
        ? 'Agent logs: not read yet in this window'
        : `Agent logs found: ${found.length === 0 ? 'none' : found.map((source) => source.source).join(', ')}`;
    const list = el('ul');
    for (const source of model.importSources) {
      const status = !source.found
        ? 'not found on this machine'
        : source.lastReadAt === null
          ? 'found, nothing read yet'
          : `last read ${new Date(source.lastReadAt).toLocaleString()}`;
      append(list, el('li', { text: `${source.source}: ${status}` }));
    }
    append(
      this.sources,
      el('summary', { text: summary }),
      el('p', {
        className: 'muted',
        text: 'Assay reads token usage from the local logs of these tools when the editor is idle and when they change; nothing leaves this machine. Folders can be set in assay.import.folders.',
      }),
      list,
    );
    (this.sources as HTMLDetailsElement).open = open;
  }

  private panelFor(id: string, section: ChartSection): ChartPanel {
    const existing = this.panels.get(id);
    if (existing) return existing;
    const title = el('h3', { attrs: { id: `title-${id}` } });
    const toggle = el('button', { className: 'toggle secondary', text: 'Show table', attrs: { type: 'button', 'aria-pressed': 'false' } });
    const description = el('p', { className: 'muted description' });
    const canvas = el('canvas', { attrs: { role: 'img' } });
    const canvasBox = el('div', { className: 'chart-box' }, canvas);
    const tableBox = el('div', { className: 'table-box' });
    const body = el('div', { className: 'panel-body' }, canvasBox, tableBox);
    const root = el('article', { className: 'panel', attrs: { id: `panel-${id}`, 'aria-labelledby': `title-${id}` } }, el('header', {}, title, toggle), description, body);
    const panel: ChartPanel = { root, title, description, toggle, body, canvasBox, canvas, tableBox };
    toggle.addEventListener('click', () => {
      const show = toggle.getAttribute('aria-pressed') !== 'true';
      this.showTable(panel, show);
      this.actions.toggleTable(id, show);
    });
    this.sections.get(section)?.appendChild(root);
    this.panels.set(id, panel);
    return panel;
  }

  private showTable(panel: ChartPanel, show: boolean): void {
    if (panel.toggle.hidden) return;
    panel.toggle.setAttribute('aria-pressed', String(show));
    panel.toggle.textContent = show ? 'Show chart' : 'Show table';
    panel.canvasBox.hidden = show;
    panel.tableBox.hidden = !show;
  }

  private renderChart(spec: ChartSpec): void {
    const panel = this.panelFor(spec.id, spec.section);
    panel.spec = spec;
    panel.title.textContent = spec.title;
    panel.description.textContent = spec.description;
    panel.canvas.setAttribute('aria-label', `${spec.title}. ${spec.description} Use “Show table” for the values.`);
    const emptyNote = panel.root.querySelector('.empty');
    emptyNote?.remove();
    if (spec.empty) {
      panel.chart?.destroy();
      panel.chart = undefined;
      panel.toggle.hidden = true;
      panel.body.hidden = true;
      panel.root.classList.add('is-empty');
      panel.root.appendChild(this.emptyNote(spec.empty, spec.section === 'usage' || spec.id.startsWith('cost') || spec.id === 'jevons'));
      return;
    }
    panel.root.classList.remove('is-empty');
    panel.toggle.hidden = false;
    panel.body.hidden = false;
    clear(panel.tableBox);
    panel.tableBox.appendChild(chartTable(spec, this.format));
    this.showTable(panel, this.state.tables.includes(spec.id));
    panel.chart = drawChart(panel.canvas, spec, this.theme, this.format, panel.chart);
  }

  private renderTablePanel(table: TableSpec): void {
    const panel = this.panelFor(table.id, table.section);
    panel.title.textContent = table.title;
    panel.description.textContent = table.description;
    panel.toggle.hidden = true;
    panel.canvasBox.hidden = true;
    panel.root.querySelector('.empty')?.remove();
    clear(panel.tableBox);
    if (table.empty) {
      panel.body.hidden = true;
      panel.root.classList.add('is-empty');
      panel.root.appendChild(this.emptyNote(table.empty, true));
      return;
    }
    panel.root.classList.remove('is-empty');
    panel.body.hidden = false;
    panel.tableBox.hidden = false;
    panel.tableBox.appendChild(plainTable(table, this.format));
  }

  private emptyNote(text: string, offerImport: boolean): HTMLElement {
    const note = el('div', { className: 'empty' }, el('p', { text }));
    if (offerImport) {
      const button = el('button', { text: 'Import agent usage now', attrs: { type: 'button' } });
      button.addEventListener('click', () => this.actions.importUsage());
      note.appendChild(button);
    }
    return note;
  }

  private onRangePreset(preset: RangePreset): void {
    this.customBox.hidden = preset !== 'custom';
    if (preset === 'custom') {
      this.fromInput.focus();
      return;
    }
    this.actions.setRange({ preset });
  }

  private applyCustomRange(): void {
    const from = this.fromInput.value;
    const to = this.toInput.value;
    if (!from || !to) return;
    this.actions.setRange({ preset: 'custom', from, to });
  }

  private onFilters(): void {
    const value = (select: HTMLSelectElement) => (select.value === ALL ? null : select.value);
    this.actions.setFilters({
      languageId: value(this.languageSelect),
      provider: value(this.providerSelect),
      source: value(this.sourceSelect),
    });
  }
}

function filterOptions(allLabel: string, values: string[], selected: string | null): { value: string; label: string }[] {
  // Keep a selected value listed even when the new range has none of it, so the select shows the truth.
  const list = selected !== null && !values.includes(selected) ? [...values, selected] : values;
  return [{ value: ALL, label: allLabel }, ...list.map((v) => ({ value: v, label: v }))];
}

function renderCard(card: Card, format: Formatter): HTMLElement {
  return el(
    'article',
    { className: card.estimate ? 'card estimate' : 'card' },
    el('h3', { text: card.label }),
    el('p', { className: 'figure', text: format.value(card.value, card.format) }, card.estimate && el('span', { className: 'badge', text: 'estimate' })),
    el('p', { className: 'muted detail', text: format.text(card.detail) }),
  );
}

function chartTable(spec: ChartSpec, format: Formatter): HTMLTableElement {
  const head = el('tr', {}, el('th', { text: spec.categoryLabel, attrs: { scope: 'col' } }));
  for (const s of spec.series) append(head, el('th', { text: s.label, attrs: { scope: 'col' } }));
  const body = el('tbody');
  spec.labels.forEach((label, row) => {
    const tr = el('tr', {}, el('th', { text: format.category(label, true), attrs: { scope: 'row' } }));
    for (const s of spec.series) append(tr, el('td', { text: format.value(s.values[row] ?? null, s.format) }));
    append(body, tr);
  });
  return el('table', {}, el('caption', { className: 'visually-hidden', text: spec.description }), el('thead', {}, head), body);
}

function plainTable(spec: TableSpec, format: Formatter): HTMLTableElement {
  const head = el('tr');
  for (const c of spec.columns) append(head, el('th', { text: c.label, attrs: { scope: 'col' } }));
  const body = el('tbody');
  for (const row of spec.rows) {
    const tr = el('tr');
    row.forEach((value, i) => {
      const columnFormat = spec.columns[i]?.format ?? null;
      const text = typeof value === 'number' && columnFormat ? format.value(value, columnFormat) : value === null ? '—' : String(value);
      append(tr, i === 0 ? el('th', { text, attrs: { scope: 'row' } }) : el('td', { text }));
    });
    append(body, tr);
  }
  return el('table', {}, el('caption', { className: 'visually-hidden', text: spec.description }), el('thead', {}, head), body);
}
