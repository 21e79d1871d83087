// The dashboard page: controls, cards, the value formula, and one panel per chart with its
// table view, grouped in sections. Built once; each new view model updates it in place so focus
// and scroll survive live updates. Until the first view model arrives the page shows only that it
// is loading; afterwards a reload keeps the figures and shows that it is updating.
import type { Chart } from 'chart.js';
import { EMPTY } from '../dashboard/emptyStates';
import { CUSTOM_RANGE_BOUNDS, type Card, type ChartSpec, type Filters, type ListSpec, type RangePreset, type TableSpec, type ViewModel, type WebviewAction, type WebviewState } from '../dashboard/protocol';
import { drawChart, seriesStyles, setSeriesVisible } from './charts';
import { append, clear, el } from './dom';
import { Formatter } from '../report/format';
import { renderLegend } from './legend';
import { emptyNotes, gettingStartedSteps, ledgerIsEmpty, nothingToShow, sectionInfo, sectionInsertIndex } from './sections';
import { SOURCE_COLUMNS, sourceRows, sourcesSummary } from './sourcesTable';
import type { Theme } from './theme';

export interface ViewActions {
  setRange(range: WebviewState['range']): void;
  setFilters(filters: WebviewState['filters']): void;
  toggleTable(chartId: string, showTable: boolean): void;
  refresh(): void;
  importUsage(): void;
  openSettings(): void;
  openFormulaSettings(): void;
  /** Ask the host to save this range's figures as CSV or JSON for finance. */
  exportFigures(): void;
  /** A button the view model put beside a table (e.g. "Load price file…"). */
  runAction(action: WebviewAction): void;
}

const RANGE_LABELS: Record<RangePreset, string> = {
  today: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  all: 'All time',
  custom: 'Custom…',
};

/**
 * Keys that move a closed select to another option in Chromium on Windows and Linux, each firing
 * `change`, as typing an option's first letters does: those choices wait for Enter or for focus
 * to leave, so arrowing through the range list does not load every range on the way.
 */
const SELECT_MOVE_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

function movesClosedSelect(event: KeyboardEvent): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey) return false;
  // Space opens the list instead; a choice made in the open list applies at once.
  return SELECT_MOVE_KEYS.has(event.key) || (event.key.length === 1 && event.key !== ' ');
}

function labelledSelect(id: string, label: string): { root: HTMLElement; select: HTMLSelectElement } {
  const select = el('select', { attrs: { id } });
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

/** Columns of words, not figures: read from the left. */
const TEXT_COLUMNS = new Set<string>(['Folders', 'Status']);

interface ChartPanel {
  id: string;
  section: string;
  root: HTMLElement;
  title: HTMLElement;
  description: HTMLElement;
  toggle: HTMLButtonElement;
  /** The table's own button (TableSpec.action), hidden when it has none. */
  actionButton: HTMLButtonElement;
  action: WebviewAction | null;
  body: HTMLElement;
  chartView: HTMLElement;
  canvas: HTMLCanvasElement;
  legend: HTMLElement;
  tableBox: HTMLElement;
  /** Set while the view model says this chart or table has nothing to show. */
  empty: string | null;
  /**
   * The spec last drawn here, as JSON: a live update that leaves it as it was leaves the panel alone, so focus, an
   * open tooltip and a table being read survive the refreshes that change only other figures (a limit's countdown).
   */
  drawn?: string;
  chart?: Chart;
  spec?: ChartSpec;
  /** Labels of the series the reader hid with the legend; kept across live updates. */
  hiddenSeries: Set<string>;
}

interface Section {
  id: string;
  root: HTMLElement;
  grid: HTMLElement;
  note: HTMLElement;
  /** What the note shows (its lines and its button), so that a live update with the same note leaves its button, and focus, alone. */
  drawnNote: string;
}

/** Notes that say the filters hide the figures: a section with one offers to clear them. */
const FILTER_NOTES: ReadonlySet<string> = new Set([EMPTY.usageFiltered, EMPTY.inlineFiltered]);

/** The filters and range a view model was built for, to tell the answer to the latest request from an older one. */
function answers(model: ViewModel, state: WebviewState): boolean {
  const same = (a: Filters, b: Filters) => a.languageId === b.languageId && a.provider === b.provider && a.source === b.source;
  if (model.range.preset !== state.range.preset || !same(model.filters, state.filters)) return false;
  if (state.range.preset !== 'custom') return true;
  const asked = [state.range.from, state.range.to].sort().join();
  return asked === [model.range.from, model.range.to].join();
}

export class DashboardView {
  private readonly rangeSelect: HTMLSelectElement;
  private readonly customBox: HTMLFormElement;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private readonly filterBox: HTMLElement;
  private readonly languageSelect: HTMLSelectElement;
  private readonly providerSelect: HTMLSelectElement;
  private readonly sourceSelect: HTMLSelectElement;
  private readonly rangeSummary: HTMLElement;
  private readonly busyNote: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly loading: HTMLElement;
  private readonly content: HTMLElement;
  private readonly notices: HTMLElement;
  /** Replaced when a view model names another locale. */
  private format = new Formatter(navigator.language);
  private readonly sources: HTMLDetailsElement;
  private readonly banner: HTMLElement;
  private readonly overview: HTMLElement;
  private readonly cards: HTMLElement;
  private readonly formula: HTMLDetailsElement;
  private readonly gettingStarted: HTMLElement;
  private readonly sections = new Map<string, Section>();
  private readonly panels = new Map<string, ChartPanel>();
  private hasData = false;
  private busy = false;
  /** The range choice moved by keyboard and not applied yet (see SELECT_MOVE_KEYS). */
  private rangeMovedByKey = false;
  private rangeChoicePending = false;
  /** What the live region last announced, so a refresh of the same range says nothing. */
  private announcedRange = '';
  /** The dates last written to the custom range's inputs. */
  private shownDates = '';
  private drawnFormula = '';
  private drawnGettingStarted = '';
  private drawnSources = '';

  constructor(
    private readonly root: HTMLElement,
    private state: WebviewState,
    private theme: Theme,
    private readonly actions: ViewActions,
  ) {
    clear(root);
    const range = labelledSelect('range', 'Range');
    this.rangeSelect = range.select;
    setOptions(
      this.rangeSelect,
      (Object.keys(RANGE_LABELS) as RangePreset[]).map((p) => ({ value: p, label: RANGE_LABELS[p] })),
      state.range.preset,
    );
    this.rangeSelect.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && this.rangeChoicePending) {
        event.preventDefault();
        this.applyRangeChoice();
      } else if (movesClosedSelect(event)) {
        this.rangeMovedByKey = true;
      }
    });
    this.rangeSelect.addEventListener('keyup', () => (this.rangeMovedByKey = false));
    this.rangeSelect.addEventListener('change', () => this.onRangeChoice());
    this.rangeSelect.addEventListener('blur', () => {
      if (this.rangeChoicePending) this.applyRangeChoice();
    });

    // The host refuses a range outside these bounds: the form says so before sending it.
    const dateAttrs = { type: 'date', required: '', ...CUSTOM_RANGE_BOUNDS };
    this.fromInput = el('input', { attrs: { ...dateAttrs, id: 'range-from' } });
    this.toInput = el('input', { attrs: { ...dateAttrs, id: 'range-to' } });
    // A form, so Enter in either date applies the range as the Apply button does.
    this.customBox = el(
      'form',
      { className: 'control custom-range', attrs: { 'aria-label': 'Custom range' } },
      el('label', { text: 'From', attrs: { for: 'range-from' } }),
      this.fromInput,
      el('label', { text: 'To', attrs: { for: 'range-to' } }),
      this.toInput,
      el('button', { text: 'Apply', attrs: { type: 'submit' } }),
    );
    this.customBox.addEventListener('submit', (event) => {
      event.preventDefault();
      this.applyCustomRange();
    });
    this.customBox.hidden = state.range.preset !== 'custom';

    const language = labelledSelect('filter-language', 'Language');
    const provider = labelledSelect('filter-provider', 'Provider');
    const source = labelledSelect('filter-source', 'Source');
    this.languageSelect = language.select;
    this.providerSelect = provider.select;
    this.sourceSelect = source.select;
    for (const select of [this.languageSelect, this.providerSelect, this.sourceSelect]) select.addEventListener('change', () => this.onFilters());
    // The filters list what the range holds: nothing to list before the first view model.
    this.filterBox = el('div', { className: 'filters' }, language.root, provider.root, source.root);
    this.filterBox.hidden = true;
    const refresh = el('button', { className: 'secondary', text: 'Refresh', attrs: { type: 'button' } });
    refresh.addEventListener('click', () => actions.refresh());
    const exportFigures = el('button', { className: 'secondary', text: 'Export figures…', attrs: { type: 'button' } });
    exportFigures.addEventListener('click', () => actions.exportFigures());
    this.rangeSummary = el('p', { className: 'range-summary' });
    this.busyNote = el('p', { className: 'busy-note', text: 'Updating…' });
    this.busyNote.hidden = true;

    const header = el(
      'header',
      { className: 'toolbar' },
      el('div', { className: 'title' }, el('h1', { text: 'Assay' }), this.rangeSummary, this.busyNote),
      el(
        'div',
        { className: 'controls', attrs: { role: 'group', 'aria-label': 'Range and filters' } },
        range.root,
        this.customBox,
        this.filterBox,
        refresh,
        exportFigures,
      ),
    );
    // Polite: the new range is announced after what the reader is doing, not over it.
    this.announcer = el('p', { className: 'visually-hidden', attrs: { role: 'status' } });
    this.banner = el('div', { className: 'banner', attrs: { role: 'alert' } });
    this.banner.hidden = true;
    this.loading = el('p', { className: 'loading', text: 'Loading figures…' });
    this.notices = el('ul', { className: 'notices', attrs: { 'aria-label': 'Notes on these figures' } });
    this.cards = el('div', { className: 'cards' });
    this.overview = el(
      'section',
      { className: 'overview', attrs: { 'aria-labelledby': 'overview-title' } },
      el('h2', { className: 'visually-hidden', text: 'Overview', attrs: { id: 'overview-title' } }),
      this.cards,
    );
    this.formula = el('details', { className: 'formula' });
    this.sources = el('details', { className: 'formula sources' });
    // A heading, so the list is found by heading like every other part of the page.
    const sources = el(
      'section',
      { attrs: { 'aria-labelledby': 'sources-title' } },
      el('h2', { className: 'visually-hidden', text: 'Agent logs', attrs: { id: 'sources-title' } }),
      this.sources,
    );
    this.gettingStarted = el('section', { className: 'getting-started', attrs: { 'aria-labelledby': 'getting-started-title' } });
    this.gettingStarted.hidden = true;
    this.content = el('div', { className: 'content' }, this.notices, this.overview, this.formula, sources, this.gettingStarted);
    this.content.hidden = true;
    append(root, header, this.announcer, this.banner, this.loading, this.content);
    this.showLoading();
  }

  setState(state: WebviewState): void {
    const rangeChanged = JSON.stringify(state.range) !== JSON.stringify(this.state.range);
    this.state = state;
    // Only a new range resets the list: showing a table must not undo a "Custom…" being filled in.
    if (rangeChanged) {
      this.rangeSelect.value = state.range.preset;
      this.rangeChoicePending = false;
      this.customBox.hidden = state.range.preset !== 'custom';
    }
    for (const [id, panel] of this.panels) this.showTable(panel, state.tables.includes(id));
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    for (const panel of this.panels.values()) if (panel.spec && !panel.spec.empty) this.drawPanelChart(panel, panel.spec);
  }

  showError(message: string): void {
    clear(this.banner);
    const retry = el('button', { text: 'Retry', attrs: { type: 'button' } });
    retry.addEventListener('click', () => this.actions.refresh());
    append(this.banner, el('p', { text: message }), retry);
    this.banner.hidden = false;
    this.loading.hidden = true;
    this.setBusy(false);
  }

  /** A load is under way: before the first view model the page says it is loading, after it that it is updating. */
  showLoading(): void {
    this.setBusy(true);
  }

  /** The load finished with the figures already on the page. */
  showCurrent(): void {
    this.setBusy(false);
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.root.setAttribute('aria-busy', String(busy));
    this.loading.hidden = this.hasData || !busy;
    this.busyNote.hidden = !(this.hasData && busy);
  }

  render(model: ViewModel): void {
    if (model.locale !== this.format.locale) {
      this.format = new Formatter(model.locale);
      for (const panel of this.panels.values()) panel.drawn = undefined;
    }
    const format = this.format;
    this.hasData = true;
    this.content.hidden = false;
    this.filterBox.hidden = false;
    // An answer to an earlier request is drawn, but the page stays busy until the latest one's arrives.
    this.setBusy(this.busy && !answers(model, this.state));
    this.banner.hidden = true;
    const rangeText = `${format.category(model.range.from, true)} – ${format.category(model.range.to, true)}`;
    this.rangeSummary.textContent = `${rangeText} · ${model.range.days} days · ${model.timeZone}`;
    this.announceRange(model, rangeText);
    this.showRangeDates(model);
    // The filters the user chose, not those of the answer: an answer to an earlier request would undo a later choice.
    const { languageId, provider, source } = this.state.filters;
    setOptions(this.languageSelect, filterOptions('All languages', model.filterOptions.languages, languageId), languageId ?? ALL);
    setOptions(this.providerSelect, filterOptions('All providers', model.filterOptions.providers, provider), provider ?? ALL);
    setOptions(this.sourceSelect, filterOptions('All sources', model.filterOptions.sources, source), source ?? ALL);

    clear(this.notices);
    for (const notice of model.notices) append(this.notices, el('li', { text: format.text(notice) }));
    this.notices.hidden = model.notices.length === 0;

    const empty = nothingToShow(model);
    this.overview.hidden = empty;
    this.formula.hidden = empty;
    clear(this.cards);
    for (const card of model.cards) append(this.cards, renderCard(card, format));
    // Rebuilt only when they change, as panels are (ChartPanel.drawn): each holds a button that may have focus.
    const formula = JSON.stringify([model.valueFormula, format.locale]);
    if (formula !== this.drawnFormula) this.renderFormula(model);
    this.drawnFormula = formula;
    const sources = JSON.stringify([model.importSources, format.locale]);
    if (sources !== this.drawnSources) this.renderSources(model);
    this.drawnSources = sources;

    const seen = new Set<string>();
    const draw = <T extends { id: string }>(spec: T, render: (spec: T) => void) => {
      seen.add(spec.id);
      const json = JSON.stringify(spec);
      const panel = this.panels.get(spec.id);
      if (panel?.drawn === json) return;
      render(spec);
      const drawn = this.panels.get(spec.id);
      if (drawn) drawn.drawn = json;
    };
    for (const spec of model.charts) draw(spec, (chart) => this.renderChart(chart));
    for (const table of model.tables) draw(table, (tableSpec) => this.renderTablePanel(tableSpec));
    for (const list of model.lists) draw(list, (listSpec) => this.renderListPanel(listSpec));
    for (const [id, panel] of this.panels) {
      if (seen.has(id)) continue;
      panel.chart?.destroy();
      panel.root.remove();
      this.panels.delete(id);
    }
    this.renderGettingStarted(model, empty, rangeText);
    this.renderSectionNotes(empty);
  }

  /**
   * The custom range's dates: those of the range shown, written only when it changes, so a refresh never overwrites
   * dates the user is typing; left alone while the user fills in "Custom…", and the user's own while an answer to an
   * earlier request is drawn.
   */
  private showRangeDates(model: ViewModel): void {
    if (!this.customBox.hidden && this.state.range.preset !== 'custom') return;
    const asked = this.state.range;
    const latest = answers(model, this.state);
    if (!latest && !(asked.preset === 'custom' && asked.from && asked.to)) return;
    const [from, to] = latest ? [model.range.from, model.range.to] : [asked.from ?? '', asked.to ?? ''].sort();
    const dates = `${from}/${to}`;
    if (dates === this.shownDates) return;
    this.shownDates = dates;
    this.fromInput.value = from;
    this.toInput.value = to;
  }

  private announceRange(model: ViewModel, rangeText: string): void {
    const { filters } = model;
    const key = JSON.stringify([model.range, filters]);
    if (key === this.announcedRange) return;
    this.announcedRange = key;
    const preset = model.range.preset === 'custom' ? '' : `${RANGE_LABELS[model.range.preset]}: `;
    const filtered = [filters.languageId, filters.provider, filters.source].filter((value) => value !== null);
    const filterText = filtered.length > 0 ? `, filtered by ${filtered.join(', ')}` : '';
    this.announcer.textContent = `Showing ${preset}${rangeText}, ${model.range.days} days${filterText}.`;
  }

  private renderFormula(model: ViewModel): void {
    const open = this.formula.open;
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
    this.formula.open = open;
  }

  /** Every tool Assay reads, found or not, with the folders it looks in: the user's own paths, in their own editor only. */
  private renderSources(model: ViewModel): void {
    const open = this.sources.open;
    clear(this.sources);
    const head = el('tr');
    for (const column of SOURCE_COLUMNS) append(head, el('th', { className: TEXT_COLUMNS.has(column) ? 'text' : '', text: column, attrs: { scope: 'col' } }));
    const body = el('tbody');
    for (const row of sourceRows(model.importSources, this.format)) {
      const folders = el('td', { className: 'text' });
      row.folders.forEach((folder, i) => append(folders, i > 0 && el('br'), folder));
      append(
        body,
        el(
          'tr',
          {},
          el('th', { text: row.source, attrs: { scope: 'row' } }),
          folders,
          el('td', { className: 'text', text: row.status }),
          el('td', { text: row.files }),
          el('td', { text: row.lastRead }),
          el('td', { text: row.rejected }),
        ),
      );
    }
    const caption = 'Agent logs: each tool Assay reads, the folders it looks in, and what the latest import in this window read there';
    const table = el('table', { className: 'sources-table' }, el('caption', { className: 'visually-hidden', text: caption }), el('thead', {}, head), body);
    const notRead = model.importSources.every((source) => source.files === null);
    append(
      this.sources,
      el('summary', { text: sourcesSummary(model.importSources) }),
      el('p', {
        className: 'muted',
        text:
          'Assay reads token usage from the local logs of these tools when the editor is idle and when they change; nothing leaves this machine. Folders can be set in assay.import.folders.' +
          (notRead ? ' No import has run in this window yet: files read and lines rejected show after the first.' : ''),
      }),
      el('div', { className: 'table-box', attrs: { role: 'region', tabindex: '0', 'aria-label': 'Agent logs, table' } }, table),
    );
    this.sources.open = open;
  }

  /** One panel instead of a page of empty cards and charts, when nothing in view has data. */
  private renderGettingStarted(model: ViewModel, empty: boolean, rangeText: string): void {
    this.gettingStarted.hidden = !empty;
    const neverRecorded = empty && ledgerIsEmpty(model);
    const stepTexts = empty ? gettingStartedSteps(model) : [];
    // A live update that changes nothing here leaves the buttons, and focus on one, alone.
    const drawn = JSON.stringify([empty, neverRecorded, stepTexts, model.range.preset, model.filters, rangeText]);
    if (drawn === this.drawnGettingStarted) return;
    this.drawnGettingStarted = drawn;
    clear(this.gettingStarted);
    if (!empty) return;
    const { languageId, provider, source } = model.filters;
    const filtered = languageId !== null || provider !== null || source !== null;
    const steps = el('ul', { className: 'steps' });
    for (const step of stepTexts) {
      append(steps, el('li', {}, el('h3', { text: step.title }), el('p', { text: step.message })));
    }
    const buttons = el('div', { className: 'actions' });
    append(buttons, this.importButton());
    if (model.range.preset !== 'all') {
      const allTime = el('button', { className: 'secondary', text: 'Show all time', attrs: { type: 'button' } });
      allTime.addEventListener('click', () => this.chooseRange({ preset: 'all' }));
      append(buttons, allTime);
    }
    if (filtered) append(buttons, this.clearFiltersButton());
    const settings = el('button', { className: 'secondary', text: 'Open Assay settings', attrs: { type: 'button' } });
    settings.addEventListener('click', () => this.actions.openSettings());
    append(buttons, settings);
    append(
      this.gettingStarted,
      el('h2', {
        text: neverRecorded ? 'Nothing recorded yet' : filtered ? 'Nothing recorded for these filters' : 'Nothing recorded in this range',
        attrs: { id: 'getting-started-title' },
      }),
      el('p', {
        text: neverRecorded
          ? 'Assay fills this page from what happens on this machine. Figures appear here as soon as there is one of these:'
          : `Assay has no figures for ${rangeText}. They come from:`,
      }),
      steps,
      buttons,
    );
  }

  private clearFiltersButton(): HTMLButtonElement {
    const button = el('button', { className: 'secondary', text: 'Clear filters', attrs: { type: 'button' } });
    button.addEventListener('click', () => this.actions.setFilters({ languageId: null, provider: null, source: null }));
    return button;
  }

  private importButton(): HTMLButtonElement {
    const button = el('button', { text: 'Import agent usage now', attrs: { type: 'button' } });
    button.addEventListener('click', () => this.actions.importUsage());
    return button;
  }

  /**
   * Empty charts are not drawn as panels: each section says once why its empty charts are empty,
   * naming them. The first section whose charts the filters emptied offers to clear them, and the first section
   * whose data comes from agent logs and is empty for another reason offers the one import button.
   */
  private renderSectionNotes(allEmpty: boolean): void {
    let clearOffered = allEmpty;
    let importOffered = allEmpty;
    for (const section of this.sectionsInPageOrder()) {
      const panels = [...this.panels.values()].filter((panel) => panel.section === section.id);
      section.root.hidden = allEmpty;
      const notes = emptyNotes(panels.map((panel) => ({ title: panel.title.textContent ?? '', empty: panel.empty })));
      section.note.hidden = notes.length === 0;
      section.grid.hidden = panels.every((panel) => panel.empty !== null);
      const byFilters = notes.some((note) => FILTER_NOTES.has(note.message));
      let button: 'clear' | 'import' | null = null;
      if (notes.length > 0 && byFilters && !clearOffered) button = 'clear';
      else if (notes.length > 0 && !byFilters && !importOffered && sectionInfo(section.id).offersImport) button = 'import';
      if (button === 'clear') clearOffered = true;
      if (button === 'import') importOffered = true;
      const drawn = JSON.stringify([notes, button]);
      if (drawn === section.drawnNote) continue;
      section.drawnNote = drawn;
      clear(section.note);
      if (notes.length === 0) continue;
      const list = el('ul');
      for (const note of notes) append(list, el('li', {}, el('strong', { text: `${note.titles.join(', ')}: ` }), note.message));
      append(section.note, list);
      if (button !== null) append(section.note, button === 'clear' ? this.clearFiltersButton() : this.importButton());
    }
  }

  /** The sections in the order the page shows them; the map holds them in the order they first arrived. */
  private sectionsInPageOrder(): Section[] {
    const byRoot = new Map<Element, Section>([...this.sections.values()].map((section) => [section.root, section]));
    return Array.from(this.content.children).flatMap((child) => byRoot.get(child) ?? []);
  }

  private sectionFor(id: string): Section {
    const existing = this.sections.get(id);
    if (existing) return existing;
    const info = sectionInfo(id);
    const titleId = `section-${id}`;
    const grid = el('div', { className: 'grid' });
    const note = el('div', { className: 'empty' });
    const root = el(
      'section',
      { className: 'section', attrs: { 'aria-labelledby': titleId } },
      el('h2', { text: info.title, attrs: { id: titleId } }),
      note,
      grid,
    );
    const order = this.sectionsInPageOrder();
    const before = sectionInsertIndex(id, order.map((other) => other.id));
    if (before === -1) this.content.appendChild(root);
    else this.content.insertBefore(root, order[before].root);
    const section: Section = { id, root, grid, note, drawnNote: '' };
    this.sections.set(id, section);
    return section;
  }

  private panelFor(id: string, sectionId: string): ChartPanel {
    const existing = this.panels.get(id);
    if (existing) return existing;
    const title = el('h3', { attrs: { id: `title-${id}` } });
    // A fixed label; aria-pressed (and the pressed look) says whether the table is shown.
    const toggle = el('button', { className: 'toggle secondary', text: 'Show table', attrs: { type: 'button', 'aria-pressed': 'false' } });
    const actionButton = el('button', { className: 'table-action', attrs: { type: 'button' } });
    actionButton.hidden = true;
    const description = el('p', { className: 'muted description' });
    const canvas = el('canvas', { attrs: { role: 'img' } });
    const legend = el('div', { className: 'legend', attrs: { role: 'group' } });
    const chartView = el('div', { className: 'chart-view' }, el('div', { className: 'chart-box' }, canvas), legend);
    // Scrolls when long: focusable so a keyboard can scroll it, and named for the chart it belongs to.
    const tableBox = el('div', { className: 'table-box', attrs: { role: 'region', tabindex: '0' } });
    const body = el('div', { className: 'panel-body' }, chartView, tableBox);
    const root = el('article', { className: 'panel', attrs: { id: `panel-${id}`, 'aria-labelledby': `title-${id}` } }, el('header', {}, title, toggle, actionButton), description, body);
    const panel: ChartPanel = { id, section: sectionId, root, title, description, toggle, actionButton, action: null, body, chartView, canvas, legend, tableBox, empty: null, hiddenSeries: new Set() };
    actionButton.addEventListener('click', () => {
      if (panel.action) this.actions.runAction(panel.action);
    });
    toggle.addEventListener('click', () => {
      const show = toggle.getAttribute('aria-pressed') !== 'true';
      this.showTable(panel, show);
      this.actions.toggleTable(id, show);
    });
    this.sectionFor(sectionId).grid.appendChild(root);
    this.panels.set(id, panel);
    return panel;
  }

  private showTable(panel: ChartPanel, show: boolean): void {
    if (panel.toggle.hidden) return;
    panel.toggle.setAttribute('aria-pressed', String(show));
    panel.chartView.hidden = show;
    panel.tableBox.hidden = !show;
  }

  private setTitle(panel: ChartPanel, title: string, description: string): void {
    panel.title.textContent = title;
    panel.description.textContent = description;
    // The visible words first (WCAG 2.5.3, label in name), then which chart: eleven toggles, eleven names.
    panel.toggle.setAttribute('aria-label', `Show table: ${title}`);
    panel.tableBox.setAttribute('aria-label', `${title}, table`);
  }

  private setEmpty(panel: ChartPanel, empty: string | null): void {
    panel.empty = empty;
    panel.root.hidden = empty !== null;
  }

  private renderChart(spec: ChartSpec): void {
    const panel = this.panelFor(spec.id, spec.section);
    panel.spec = spec;
    this.setTitle(panel, spec.title, spec.description);
    panel.canvas.setAttribute('aria-label', `${spec.title}. ${spec.description} Use “Show table” for the values.`);
    panel.legend.setAttribute('aria-label', `Series of ${spec.title}: press to hide or show`);
    this.setEmpty(panel, spec.empty);
    if (spec.empty) {
      panel.chart?.destroy();
      panel.chart = undefined;
      return;
    }
    panel.toggle.hidden = false;
    clear(panel.tableBox);
    panel.tableBox.appendChild(chartTable(spec, this.format));
    this.showTable(panel, this.state.tables.includes(spec.id));
    this.drawPanelChart(panel, spec);
  }

  private drawPanelChart(panel: ChartPanel, spec: ChartSpec): void {
    const styles = seriesStyles(spec, this.theme);
    // A series that is gone from the chart is not hidden any more when it comes back.
    for (const label of panel.hiddenSeries) if (!styles.some((style) => style.series.label === label)) panel.hiddenSeries.delete(label);
    panel.chart = drawChart(panel.canvas, spec, this.theme, this.format, panel.chart, panel.hiddenSeries);
    renderLegend(panel.legend, styles, panel.hiddenSeries, (index, label, shown) => {
      if (shown) panel.hiddenSeries.delete(label);
      else panel.hiddenSeries.add(label);
      if (panel.chart) setSeriesVisible(panel.chart, index, shown);
    });
  }

  private renderTablePanel(table: TableSpec): void {
    const panel = this.panelFor(table.id, table.section);
    this.setTitle(panel, table.title, table.description);
    panel.toggle.hidden = true;
    panel.chartView.hidden = true;
    panel.tableBox.hidden = false;
    panel.action = table.action?.action ?? null;
    panel.actionButton.hidden = table.action === undefined;
    panel.actionButton.textContent = table.action?.label ?? '';
    clear(panel.tableBox);
    this.setEmpty(panel, table.empty);
    if (!table.empty) panel.tableBox.appendChild(plainTable(table, this.format));
  }

  /** A list of sentences (the findings), each with its figures and a button to the chart that shows it. */
  private renderListPanel(list: ListSpec): void {
    const panel = this.panelFor(list.id, list.section);
    this.setTitle(panel, list.title, list.description);
    panel.tableBox.setAttribute('aria-label', `${list.title}, list`);
    panel.toggle.hidden = true;
    panel.chartView.hidden = true;
    panel.tableBox.hidden = false;
    clear(panel.tableBox);
    this.setEmpty(panel, list.empty);
    if (list.empty) return;
    const format = this.format;
    const items = el('ol', { className: 'findings' });
    for (const item of list.items) {
      const figures = el('dl');
      for (const figure of item.figures) append(figures, el('dt', { text: figure.label }), el('dd', { text: format.value(figure.value, figure.format) }));
      const target = item.chartId === null ? undefined : this.panels.get(item.chartId);
      let show: HTMLButtonElement | false = false;
      if (target && target.empty === null) {
        const targetTitle = target.title.textContent ?? '';
        show = el('button', { className: 'secondary', text: `Show ${targetTitle}`, attrs: { type: 'button' } });
        show.addEventListener('click', () => {
          target.root.setAttribute('tabindex', '-1');
          target.root.scrollIntoView({ block: 'start' });
          target.root.focus();
        });
      }
      append(
        items,
        el('li', {}, el('p', {}, el('strong', { text: format.text(item.title) })), el('p', { className: 'muted', text: format.text(item.detail) }), figures, show),
      );
    }
    if (list.items.length === 0) append(panel.tableBox, el('p', { text: 'Nothing stands out in this range.' }));
    else append(panel.tableBox, items);
    if (list.notes.length > 0) {
      const notes = el('ul', { className: 'muted' });
      for (const note of list.notes) append(notes, el('li', { text: format.text(note) }));
      append(panel.tableBox, notes);
    }
  }

  private onRangeChoice(): void {
    const preset = this.rangeSelect.value as RangePreset;
    // Custom shows its dates where they are; focus stays on the list (the dates are next in tab order).
    this.customBox.hidden = preset !== 'custom';
    if (this.rangeMovedByKey) {
      this.rangeChoicePending = true;
      return;
    }
    this.applyRangeChoice();
  }

  private applyRangeChoice(): void {
    this.rangeChoicePending = false;
    const preset = this.rangeSelect.value as RangePreset;
    if (preset === 'custom' || preset === this.state.range.preset) return;
    this.chooseRange({ preset });
  }

  private chooseRange(range: WebviewState['range']): void {
    this.rangeSelect.value = range.preset;
    this.customBox.hidden = range.preset !== 'custom';
    this.actions.setRange(range);
  }

  private applyCustomRange(): void {
    const from = this.fromInput.value;
    const to = this.toInput.value;
    if (!from || !to) return;
    this.chooseRange({ preset: 'custom', from, to });
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
