// Seat cost (docs/metrics.md, Cost): subscriptions the user pays per month, spread evenly over each month's days,
// so a day in February carries 1/28 of the monthly price and a day in January 1/31.
import * as z from 'zod';
import { daysInMonth, MS_PER_DAY } from '../calendar/dates';

export interface SeatPlan {
  /** What `assay.seats[].plan` names. */
  id: string;
  label: string;
  /** Public list price per seat per month in USD, monthly billing (annual billing is often cheaper). */
  monthlyUSD: number;
}

/** Defaults from public list prices: those of 2025-12-01, and Copilot Free and Max as added on 2026-12-02; not re-checked with the token prices (./snapshotInfo.ts). */
export const SEAT_PLANS: readonly SeatPlan[] = [
  { id: 'copilot-free', label: 'GitHub Copilot Free', monthlyUSD: 0 },
  { id: 'copilot-pro', label: 'GitHub Copilot Pro', monthlyUSD: 10 },
  { id: 'copilot-pro-plus', label: 'GitHub Copilot Pro+', monthlyUSD: 39 },
  { id: 'copilot-business', label: 'GitHub Copilot Business', monthlyUSD: 19 },
  { id: 'copilot-enterprise', label: 'GitHub Copilot Enterprise', monthlyUSD: 39 },
  { id: 'copilot-max', label: 'GitHub Copilot Max', monthlyUSD: 100 },
  { id: 'cursor-pro', label: 'Cursor Pro', monthlyUSD: 20 },
  { id: 'cursor-pro-plus', label: 'Cursor Pro+', monthlyUSD: 60 },
  { id: 'cursor-ultra', label: 'Cursor Ultra', monthlyUSD: 200 },
  { id: 'cursor-teams', label: 'Cursor Teams', monthlyUSD: 40 },
  { id: 'claude-pro', label: 'Claude Pro', monthlyUSD: 20 },
  { id: 'claude-max-5x', label: 'Claude Max (5x)', monthlyUSD: 100 },
  { id: 'claude-max-20x', label: 'Claude Max (20x)', monthlyUSD: 200 },
  { id: 'claude-team', label: 'Claude Team (standard seat)', monthlyUSD: 30 },
  { id: 'chatgpt-plus', label: 'ChatGPT Plus', monthlyUSD: 20 },
  { id: 'chatgpt-pro', label: 'ChatGPT Pro', monthlyUSD: 200 },
  { id: 'chatgpt-business', label: 'ChatGPT Business', monthlyUSD: 30 },
  { id: 'windsurf-pro', label: 'Windsurf Pro', monthlyUSD: 15 },
  { id: 'windsurf-teams', label: 'Windsurf Teams', monthlyUSD: 30 },
  { id: 'tabnine-enterprise', label: 'Tabnine Enterprise', monthlyUSD: 39 },
  { id: 'amazon-q-developer-pro', label: 'Amazon Q Developer Pro', monthlyUSD: 19 },
  { id: 'supermaven-pro', label: 'Supermaven Pro', monthlyUSD: 10 },
];

const PLANS_BY_ID: ReadonlyMap<string, SeatPlan> = new Map(SEAT_PLANS.map((plan) => [plan.id, plan]));

/** One `assay.seats` entry: a known plan id (price from SEAT_PLANS unless given) or any name with a price. */
export const SeatSchema = z
  .object({
    plan: z.string().min(1).max(64),
    monthlyUSD: z.number().nonnegative().max(100_000).optional(),
    count: z.number().int().positive().max(100_000).optional(),
  })
  .strict();
export type Seat = z.infer<typeof SeatSchema>;

export interface ResolvedSeat {
  plan: string;
  /** The plan's label, or the name as configured for a plan Assay does not know. */
  label: string;
  monthlyUSD: number;
  count: number;
}

export interface ResolvedSeats {
  seats: ResolvedSeat[];
  /** Configured plans with neither a known id nor a `monthlyUSD`: not priced, and the user should be told. */
  unknownPlans: string[];
}

export function resolveSeats(seats: readonly Seat[]): ResolvedSeats {
  const resolved: ResolvedSeat[] = [];
  const unknownPlans: string[] = [];
  for (const seat of seats) {
    const known = PLANS_BY_ID.get(seat.plan.trim().toLowerCase());
    const monthlyUSD = seat.monthlyUSD ?? known?.monthlyUSD;
    if (monthlyUSD === undefined) {
      unknownPlans.push(seat.plan);
      continue;
    }
    resolved.push({ plan: known?.id ?? seat.plan, label: known?.label ?? seat.plan, monthlyUSD, count: seat.count ?? 1 });
  }
  return { seats: resolved, unknownPlans };
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a calendar day `YYYY-MM-DD` to its UTC midnight in ms; throws RangeError on anything else. */
function dayToUtcMs(date: string): number {
  const match = DAY_PATTERN.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${date}`);
  return ms;
}

/** Seat cost of one calendar day `YYYY-MM-DD`: each seat's monthly price ÷ the days of that month. */
export function seatCostForDay(date: string, seats: readonly ResolvedSeat[]): number {
  const day = new Date(dayToUtcMs(date));
  const days = daysInMonth(day.getUTCFullYear(), day.getUTCMonth() + 1);
  let total = 0;
  for (const seat of seats) total += (seat.monthlyUSD * seat.count) / days;
  return total;
}

/** Seat cost of the days `from` to `to`, both included (0 when `to` is before `from`). */
export function seatCostForRange(from: string, to: string, seats: readonly ResolvedSeat[]): number {
  const last = dayToUtcMs(to);
  let total = 0;
  for (let ms = dayToUtcMs(from); ms <= last; ms += MS_PER_DAY) {
    total += seatCostForDay(new Date(ms).toISOString().slice(0, 10), seats);
  }
  return total;
}
