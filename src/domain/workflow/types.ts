/**
 * The workflow engine's vocabulary. A matter (新办, 换领, 迁移 …) is a table of states and actions;
 * an action names who may take it (roles on one side of the case), its guards, the SLA clocks it
 * starts/stops/pauses and the documents it expects. The engine reads these tables; nothing about a
 * particular matter is coded into the engine.
 */
import type { z } from 'zod';
import type { CertificateFacts } from '../certificates.js';
import type { Bilingual } from '../errors.js';
import type { ClockName, ProfileSettings } from '../profiles.js';
import type { CalendarData, SlaClock } from '../working-days.js';

/**
 * Which party of a case acts: the residence (accepting) county, the hukou county, the named
 * institution, the applicant — or, in a transfer, the origin county that held the certificate.
 */
export type Side = 'residence' | 'hukou' | 'institution' | 'applicant' | 'origin';

export const STAFF_ROLES = [
  'clerk', // 办证员
  'reviewer', // 初审员
  'approver', // 审批人
  'institution_staff',
  'doctor',
  'village_worker',
  'township_worker',
  'supervisor', // city / province / national
  'auditor',
  'admin',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = StaffRole | 'applicant';

/** What the caller holds on this case: e.g. { side: 'residence', role: 'clerk' }. */
export type Grant = { side: Side; role: Role };

export type CaseData = Record<string, any>;

/** An SLA clock as a case keeps it: stopped clocks keep their used days and the day they stopped. */
export type CaseClock = SlaClock & { stoppedOn?: string };

export type CaseSnapshot = {
  matter: string;
  state: string;
  version: number;
  birthDate: string;
  categories: number[];
  /** taken away from the hukou county (at the residence county): a residence permit is needed (002 §2) */
  crossRegion: boolean;
  profile: ProfileSettings;
  /** the matter's variant (renewal for expiry / damaged card / information update; whole or partial cancellation) */
  variant?: string | null;
  /** the certificate a matter other than NEW acts on, as it stands */
  certificate?: CertificateFacts | null;
  data: CaseData;
  clocks: Partial<Record<ClockName, CaseClock>>;
  /** the document type of every scan on the case, one entry per upload */
  documents?: string[];
};

export type ActionContext<I = any> = { snap: CaseSnapshot; input: I; today: string; cal: CalendarData };

/** A guard returns null when the action may go ahead, or the reason it may not. */
export type Guard<I = any> = (ctx: ActionContext<I>) => Bilingual | null;

export type ClockEffects = Partial<Record<'start' | 'stop' | 'pause' | 'resume', ClockName[]>>;

/**
 * Side effects the service carries out in the same transaction (kept declarative so diagrams can
 * show them): a first certificate; a new card replacing the case's certificate (how, the matter and
 * variant decide — see replacementCard); cancelling the case's certificate.
 */
export type Effect = 'issueCertificate' | 'replaceCertificate' | 'cancelCertificate';

export type StateDef = {
  label: Bilingual;
  /** who the case waits on in this state; absent for final states */
  waitingOn?: { side: Side; roles: Role[] };
  /** the SLA clock whose due date this state shows */
  clock?: ClockName;
  final?: 'completed' | 'ended';
  /**
   * The day before which nobody can act on a case in this state (e.g. the end of publicity), from
   * its data: worklists set such cases apart under "waiting until" rather than as work to do now.
   */
  waitsUntil?: (data: CaseData) => string | null;
  /** a short note a worklist row shows for a case in this state (e.g. why the hukou county returned it) */
  rowNote?: (data: CaseData) => string | null;
};

export type ActionDef<I = any> = {
  label: Bilingual;
  from: string[];
  to: string | ((ctx: ActionContext<I>) => string);
  /** every state `to` can yield, for diagrams and static checks */
  targets?: string[];
  /** the side(s) of the case that take this action; `roles` are the roles allowed there */
  side: Side | Side[];
  roles: Role[];
  /** narrower roles in particular `from` states (e.g. a refusal taken by whichever level is reviewing) */
  rolesIn?: Partial<Record<string, Role[]>>;
  input: z.ZodType<I>;
  guards?: Guard<I>[];
  /**
   * Whether the action applies to this case at all (e.g. no attendance limit in the profile): a
   * refusal here hides the action instead of listing it as blocked, and still refuses it if sent.
   */
  appliesWhen?: Guard<I>;
  /** the form's starting values, derived from the case (e.g. today's date, the categories applied for) */
  defaults?: (ctx: Omit<ActionContext, 'input'>) => Record<string, unknown>;
  /** clock effects; a function when they depend on which state the action leads to */
  clock?: ClockEffects | ((to: string) => ClockEffects);
  documents?: string[];
  effects?: Effect[];
  /** what the action writes into the case's data (merged at the top level) */
  apply?: (ctx: ActionContext<I>) => CaseData;
};

export type MatterDef = {
  code: string;
  label: Bilingual;
  /**
   * CARD-3: a person has at most one open case per family (a unique index on case_file): NEW makes
   * a first certificate; the matters on an existing certificate share one family.
   */
  family: string;
  initial: string;
  /** other states a case may start in (a home-assessment request starts at the village's review, HOME-2) */
  entries?: string[];
  states: Record<string, StateDef>;
  actions: Record<string, ActionDef>;
};
