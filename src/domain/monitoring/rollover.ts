/**
 * Year-end rollover of a direct payment balance under the council's published policy.
 *
 * The common council practice, followed here (docs/DOMAIN.md, "Money rules": "year-end rollover
 * follows a published local policy"; a contingency for fluctuating needs may be kept):
 * 1. the agreed contingency stays on the account first (never carried forward or recovered as
 *    surplus: it is there for a bad month);
 * 2. of what is left above the contingency, up to `carryForwardPercent` % of the ANNUAL ALLOCATION
 *    (not of the balance) is carried forward into next year;
 * 3. the rest is PROPOSED for recovery. It is only a proposal: a person must approve it with
 *    reasons and the family can challenge it (blanket clawback has been found unlawful).
 *
 * Integer pence throughout; never negative;
 *   carryForward + proposedRecovery = balance above contingency, exactly, and
 *   keptAsContingency + carryForward + proposedRecovery = the balance (0 when overspent).
 */
import { formatPence, type Pence } from '../money/money.ts';

export interface RolloverPolicy {
  /** Whole number 0–100: how much of the annual allocation may be carried into next year. */
  readonly carryForwardPercent: number;
}

export interface RolloverInput {
  /** The balance on the account at year end. Negative when overspent. */
  readonly balancePence: Pence;
  readonly contingencyPence: Pence;
  /** The year's personal budget paid as a direct payment. */
  readonly annualAllocationPence: Pence;
  readonly policy: RolloverPolicy;
}

export interface Rollover {
  /** The part of the balance kept as the agreed contingency (less when the balance is smaller). */
  readonly keptAsContingencyPence: Pence;
  /** Balance − contingency, or 0. */
  readonly aboveContingencyPence: Pence;
  /** The most the policy lets the holder carry forward: the percentage of the annual allocation. */
  readonly carryForwardLimitPence: Pence;
  readonly carryForwardPence: Pence;
  /** A proposal for a person to approve with reasons; never recovered automatically. */
  readonly proposedRecoveryPence: Pence;
  /** Plain-English working, one step a line, for the officer and the family. */
  readonly explanation: readonly string[];
}

export function yearEndRollover(input: RolloverInput): Rollover {
  checkInput(input);
  const balance = input.balancePence > 0n ? input.balancePence : 0n;
  const keptAsContingencyPence = balance < input.contingencyPence ? balance : input.contingencyPence;
  const aboveContingencyPence = balance - keptAsContingencyPence;
  const carryForwardLimitPence = percentOfRoundedUp(input.annualAllocationPence, input.policy.carryForwardPercent);
  const carryForwardPence = aboveContingencyPence < carryForwardLimitPence ? aboveContingencyPence : carryForwardLimitPence;
  const proposedRecoveryPence = aboveContingencyPence - carryForwardPence;
  return {
    keptAsContingencyPence,
    aboveContingencyPence,
    carryForwardLimitPence,
    carryForwardPence,
    proposedRecoveryPence,
    explanation: explain(input, { keptAsContingencyPence, aboveContingencyPence, carryForwardLimitPence, carryForwardPence, proposedRecoveryPence }),
  };
}

/** Programming errors: the policy and amounts are validated where people enter them. */
function checkInput(input: RolloverInput): void {
  const percent = input.policy.carryForwardPercent;
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new RangeError('carryForwardPercent must be a whole number from 0 to 100');
  if (input.contingencyPence < 0n) throw new RangeError('contingencyPence must not be negative');
  if (input.annualAllocationPence < 0n) throw new RangeError('annualAllocationPence must not be negative');
}

/** percent % of pence, rounded up to the penny: the limit leans in the holder's favour. */
function percentOfRoundedUp(pence: Pence, percent: number): Pence {
  return (pence * BigInt(percent) + 99n) / 100n;
}

function explain(input: RolloverInput, r: Omit<Rollover, 'explanation'>): string[] {
  const percent = input.policy.carryForwardPercent;
  if (input.balancePence <= 0n) {
    return [`The balance at year end is ${formatPence(input.balancePence)}: there is nothing to carry forward or recover.`];
  }
  return [
    `The balance at year end is ${formatPence(input.balancePence)}.`,
    `${formatPence(r.keptAsContingencyPence)} stays on the account as the agreed contingency.`,
    `The policy allows up to ${percent}% of the annual allocation of ${formatPence(input.annualAllocationPence)} to be carried forward: ${formatPence(r.carryForwardLimitPence)}.`,
    `${formatPence(r.carryForwardPence)} is carried forward into next year.`,
    r.proposedRecoveryPence > 0n
      ? `${formatPence(r.proposedRecoveryPence)} is proposed for recovery. A manager must agree it and give reasons, and the family can challenge it.`
      : 'Nothing is proposed for recovery.',
  ];
}
