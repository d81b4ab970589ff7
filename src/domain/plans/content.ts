/**
 * What a person-centred support plan says: the content of one version (plan_versions.content).
 * Stored as JSON with money as whole pence in strings (JSON has no bigint); `contentToJson` and
 * `contentFromJson` in this folder convert. Ids of outcomes and items are short strings made when
 * they are added, kept across versions, so that comments, differences and DBS checks can name them.
 */
import type { Pence } from '../money/money.ts';
import type { Management } from '../people/people.ts';
import type { StreamCode } from '../allocation/model.ts';

export type OutcomeArea = 'education' | 'health' | 'care' | 'preparing_for_adulthood';

/** How often a unit of support is bought, and so how many times a year. */
export type Frequency = 'once' | 'weekly' | 'fortnightly' | 'four_weekly' | 'monthly' | 'termly' | 'yearly';

export interface PlanProfile {
  /** What people like and admire about me. */
  readonly likeAndAdmire: string;
  /** What is important to me. */
  readonly importantToMe: string;
  /** How best to support me. */
  readonly howToSupportMe: string;
  /** I statements, one per entry. */
  readonly iStatements: readonly string[];
}

export interface PlanOutcome {
  readonly id: string;
  readonly area: OutcomeArea;
  /** What. */
  readonly description: string;
  /** By when, 'YYYY-MM-DD'. */
  readonly byWhen: string;
  /** How we will know. */
  readonly measure: string;
}

export interface SupportItem {
  readonly id: string;
  readonly description: string;
  /** The provider, as text for now (the Local Offer issue links it). */
  readonly provider: string;
  readonly unitCostPence: Pence;
  /** Units each time (hours, sessions...), a positive number with up to two decimal places. */
  readonly quantity: number;
  readonly frequency: Frequency;
  readonly stream: StreamCode;
  readonly management: Management;
  /** The outcome ids it serves. */
  readonly outcomeIds: readonly string[];
  /** Paid to a personal assistant from a direct payment: needs a DBS check or an agreed exception. */
  readonly paysPersonalAssistant: boolean;
}

export type MoneyManagerKind = 'person' | 'parent_carer' | 'nominee' | 'suitable_person' | 'not_applicable';

export interface PlanContent {
  readonly profile: PlanProfile;
  readonly outcomes: readonly PlanOutcome[];
  readonly items: readonly SupportItem[];
  readonly contingency: { readonly amountPence: Pence; readonly purpose: string };
  /** Risks and how I keep safe. */
  readonly risks: string;
  /**
   * Who manages a direct payment: the person, a parent carer, or a nominee or suitable person where
   * age or capacity requires (their name), or no direct payment at all.
   */
  readonly moneyManager: { readonly kind: MoneyManagerKind; readonly name: string };
  /** Why the plan costs more than the indicative budget in a stream, when it does. */
  readonly overBudgetReason: string;
}
