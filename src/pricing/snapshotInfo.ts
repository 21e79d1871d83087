// Provenance of the bundled price snapshot (./modelPrices.json), which as JSON cannot say it itself.

/** The day the bundled prices were checked against the vendors' public price pages. */
export const PRICE_SNAPSHOT_DATE = '2025-12-01';
