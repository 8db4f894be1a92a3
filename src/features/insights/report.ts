import { DateTime } from 'luxon';

/* The engagement report's shape and fixed choices, shared by the service and the dashboard page (no database here). */

export const ENGAGEMENT_RANGES = [30, 90, 365] as const;
export type EngagementRange = (typeof ENGAGEMENT_RANGES)[number];

export const FUNNEL_SOURCES = ['organic', 'code', 'invite', 'link'] as const;
export type FunnelSource = (typeof FUNNEL_SOURCES)[number];
export const REFERRAL_STATUSES = ['pending', 'paid', 'cancelled', 'clawedBack'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** One local day's points: issued (earned), taken back (revokes, clawbacks, reversed activity) and redeemed (net of refunds). */
export interface PointsDay { day: string; issued: number; takenBack: number; redeemed: number }
export interface ActiveDay { day: string; members: number }
export interface Leader { memberId: string; displayName: string; points: number; rank: number; tier: string }

/** Newcomers of one source who joined in the range, and how many reached each step (each step includes the one before). */
export interface FunnelRow {
  source: FunnelSource;
  joined: number;
  /** Did anything themselves: earned activity points, answered a poll, entered a giveaway or sent a challenge submission. */
  active: number;
  /** Entered a giveaway or sent a challenge submission. */
  entered: number;
  /** …and answered a poll (NPS). */
  answered: number;
  /** Referred newcomers by their referral's status now (organic: all zero). */
  statuses: Record<ReferralStatus, number>;
}

export interface EngagementReport {
  range: EngagementRange;
  /** The local days shown, oldest first ('YYYY-MM-DD' in the community's zone), and today's. */
  days: string[];
  today: string;
  zone: string;
  points: { perDay: PointsDay[]; totals: Omit<PointsDay, 'day'> };
  active: { perDay: ActiveDay[]; today: number; last7Average: number };
  leaders: { all: Leader[]; month: Leader[] };
  funnel: FunnelRow[];
}

/** The range asked for in a query string (`?days=`), or the default 30 days. */
export const rangeOf = (raw: string | undefined): EngagementRange => ENGAGEMENT_RANGES.find((r) => String(r) === raw) ?? 30;

/** A local day ('YYYY-MM-DD') as a moment inside it (noon there), for L.day(). */
export const dayMoment = (day: string, zone: string): Date => DateTime.fromISO(day, { zone }).set({ hour: 12 }).toJSDate();
