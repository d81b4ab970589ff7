/**
 * Recovering money from a direct payment (issue 6): never automatic (DOMAIN.md, "Money rules":
 * blanket clawback has been found unlawful).
 *  - a finance officer proposes it with reasons: surplus above the threshold (at most the surplus
 *    shown), or the year-end rollover's proposed recovery; the working is kept with the reasons;
 *  - another finance officer or an approver — never the proposer (the database checks this too) —
 *    approves it with a note, or cancels it. Approval, in ONE transaction: the ledger posts holder →
 *    recoveries under the key `recovery:<id>` (so it can never be posted twice), the recovery is
 *    approved with a date to challenge by (28 days on), and the family can read the notice;
 *  - the family is told by email after the transaction, with a link to the notice;
 *  - a finance officer records the family's challenge (a late one too: councils still consider
 *    it), and someone who was not part of the decision (neither proposer nor approver) decides it:
 *    upheld repays it all, partly upheld repays what they enter, not upheld nothing. A repayment posts recoveries → holder under
 *    `recovery:<id>:repaid`, in the same transaction, so it can never be paid twice.
 * See docs/decisions/0019-monitoring-and-recovery.md.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { TenantTx, WithCouncil } from '../db/tenancy.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { monitoringRepository, type MonitoringRepository, type RecoveryRecord } from '../db/repositories/monitoring.ts';
import { mayDo, type Action, type Actor } from '../domain/access/policy.ts';
import { isUuid } from '../domain/ids.ts';
import { formatPence, parsePounds, type Pence } from '../domain/money/money.ts';
import { addDays, longDate } from '../domain/pathway/dates.ts';
import { CHALLENGE_OUTCOMES, isLate, receivedOnProblem, repaymentFor, wasPartOfDecision, type ChallengeOutcome } from '../domain/monitoring/challenge.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { LedgerServices } from './ledger.ts';
import type { Mailer } from './mail/mailer.ts';
import { MAX_NOTE, MAX_REASONS, type MonitoringServices } from './monitoring.ts';
import { personHeader, requirePerson, type PersonHeader } from './people.ts';
import { fail, ok, requireAction, type Outcome } from './outcome.ts';
import { OutOfOrderError } from './sign-off.ts';

/** Days the family has to challenge a recovery, from the day it is approved (decision 0019). */
export const CHALLENGE_DAYS = 28;

export interface RecoveryView {
  readonly recovery: RecoveryRecord;
  readonly person: PersonHeader;
  /** The officer's reasons and the working kept with them. */
  readonly reasons: string;
  readonly working: readonly string[];
  /** Whether the signed-in actor may decide it, and why not. */
  readonly mayDecide: { readonly ok: true } | { readonly ok: false; readonly reason: string };
  /** Whether the signed-in actor may read the family's notice (finance may; an approver decides without it). */
  readonly mayReadNotice: boolean;
  /** Whether the signed-in actor may record the family's challenge (staff), send their own (the family), or decide it. */
  readonly mayRecordChallenge: boolean;
  readonly mayChallenge: boolean;
  readonly mayDecideChallenge: { readonly ok: true } | { readonly ok: false; readonly reason: string };
}

/** A line of the recoveries waiting: a proposal to decide, or a family's challenge to decide. */
export type WaitingRecovery = RecoveryRecord & {
  readonly personName: string;
  readonly personReference: string;
  readonly waitingFor: 'decision' | 'challenge';
  readonly mayDecide: RecoveryView['mayDecide'];
};

/** The notice promises the family that someone who was not part of the decision looks at their challenge. */
const NOT_PART_OF_IT = 'You proposed or approved this recovery: someone who was not part of the decision must look at the challenge';

const REPAID_EMAIL = {
  subject: 'We have looked again at a decision about a direct payment',
  body: 'We have decided your challenge to a recovery from a direct payment. The notice says what we decided and why:',
} as const;

const FAMILY_EMAIL = {
  subject: 'A decision about a direct payment',
  body: 'We have decided to recover some money from a direct payment. The notice gives the reasons, how the amount was worked out, and how to challenge the decision:',
} as const;

export function recoveryServices(deps: {
  withCouncil: WithCouncil;
  clock: Clock;
  ledger: LedgerServices;
  monitoring: MonitoringServices;
  mailer?: Mailer;
  links?: { notice(recoveryId: string): string };
}) {
  const { clock, ledger } = deps;


  function reasonsErrors(reasons: string, required: boolean): { path: string; message: string }[] {
    const text = reasons.trim();
    if (required && text === '') return [{ path: 'reasons', message: 'Enter the reasons for recovering this money, in words the family will read' }];
    if (text.length > MAX_REASONS) return [{ path: 'reasons', message: `The reasons must be ${MAX_REASONS.toLocaleString('en-GB')} characters or fewer` }];
    return [];
  }

  function decideProblem(actor: Actor, recovery: RecoveryRecord): RecoveryView['mayDecide'] {
    if (!mayDo(actor, 'recovery:decide')) return { ok: false, reason: 'Your role does not allow you to decide recoveries' };
    if (recovery.proposedBy === actor.accountId) return { ok: false, reason: 'You proposed this recovery: another finance officer or an approver must decide it' };
    if (recovery.status !== 'proposed') return { ok: false, reason: `This recovery has already been ${recovery.status}` };
    return { ok: true };
  }

  function challengeProblem(actor: Actor, recovery: RecoveryRecord): RecoveryView['mayDecideChallenge'] {
    if (!mayDo(actor, 'recovery:decide')) return { ok: false, reason: 'Your role does not allow you to decide challenges to recoveries' };
    if (wasPartOfDecision(actor.accountId, recovery)) return { ok: false, reason: NOT_PART_OF_IT };
    if (recovery.challenge === null) return { ok: false, reason: 'No challenge has been recorded' };
    if (recovery.challenge.decision !== null) return { ok: false, reason: 'This challenge has already been decided' };
    return { ok: true };
  }

  function viewOf(actor: Actor, recovery: RecoveryRecord, person: PersonHeader): RecoveryView {
    return {
      recovery,
      person,
      reasons: recovery.reasons,
      working: recovery.working.split('\n').filter((l) => l !== ''),
      mayDecide: decideProblem(actor, recovery),
      mayReadNotice: mayDo(actor, 'person:spending'),
      mayRecordChallenge: mayDo(actor, 'recovery:propose') && recovery.status === 'approved' && recovery.challenge === null,
      mayChallenge: mayDo(actor, 'recovery:challenge') && recovery.status === 'approved' && recovery.challenge === null,
      mayDecideChallenge: challengeProblem(actor, recovery),
    };
  }

  /** Locks a recovery's row, reads it and checks the actor may act on its person, inside the caller's transaction. */
  async function lockedRecovery(tx: TenantTx, actor: Actor, action: Action, recoveryId: string) {
    const repos = repositories(tx);
    const m = monitoringRepository(tx);
    await m.lockRecovery(recoveryId);
    const recovery = await m.recovery(recoveryId);
    if (recovery === undefined) throw new NotFoundError(`No recovery with id ${recoveryId}`);
    await requirePerson(repos, actor, action, recovery.personId, clock.today());
    return { repos, m, recovery };
  }

  /** The challenge written on the locked recovery, with its audit event; the caller has checked it may be. */
  async function receiveChallenge(
    { repos, m, recovery }: Awaited<ReturnType<typeof lockedRecovery>>,
    actor: Actor,
    context: RequestContext,
    challenge: { receivedOn: string; summary: string; online: boolean },
  ): Promise<void> {
    const now = clock.now();
    if (!(await m.recordChallenge({ id: recovery.id, receivedOn: challenge.receivedOn, recordedBy: actor.accountId, recordedAt: now, summary: challenge.summary }))) {
      throw new OutOfOrderError('A challenge to this recovery has just been recorded by someone else');
    }
    await repos.audit.record({
      ...auditedBy(actor, context, now),
      action: 'person.recovery_challenge_recorded',
      subjectType: 'person',
      subjectId: recovery.personId,
      detail: { recoveryId: recovery.id, receivedOn: challenge.receivedOn, late: isLate(challenge.receivedOn, recovery.challengeBy), online: challenge.online },
    });
  }

  /**
   * Posts a `recovery` between the person's direct payment account and the council's recovered money,
   * today, under `key` (accepted once): a positive amount leaves the holder, a negative one goes back.
   */
  async function postRecovery(tx: TenantTx, m: MonitoringRepository, actor: Actor, recovery: RecoveryRecord, posting: { key: string; description: string; fromHolderPence: Pence }): Promise<string> {
    const holder = await holderAccount(m, recovery.personId);
    const recoveries = await ledger.accountWithin(tx, actor.councilId, { identity: { kind: 'recoveries' }, name: 'Recovered money' });
    const entries = [
      { accountId: holder, amountPence: -posting.fromHolderPence },
      { accountId: recoveries, amountPence: posting.fromHolderPence },
    ];
    const [posted] = await ledger.postWithin(tx, actor.councilId, [{ idempotencyKey: posting.key, kind: 'recovery', effectiveOn: clock.today(), description: posting.description, entries }], actor.accountId);
    if (posted === undefined || !posted.ok) throw new Error(`the recovery could not be posted to the ledger: ${posted?.reason ?? 'no outcome'}`);
    return posted.transactionId;
  }

  async function familyEmails(repos: Repositories, personId: string): Promise<string[]> {
    return deps.mailer === undefined ? [] : (await repos.cases.familyAccounts(personId)).map((a) => a.email);
  }

  async function tell(to: readonly string[], recoveryId: string, email: { subject: string; body: string }): Promise<void> {
    if (deps.mailer === undefined) return;
    const link = deps.links?.notice(recoveryId);
    for (const address of to) {
      await deps.mailer.send({ to: address, subject: email.subject, body: link === undefined ? email.body.replace(/:$/, '.') : `${email.body}\n${link}`, kind: 'recovery-notice' });
    }
  }

  return {
    /**
     * Proposes recovering surplus: at most the surplus the account shows today, with reasons; the
     * working (balance, contingency, threshold) is kept with them for the notice.
     */
    async proposeSurplus(actor: Actor, personId: string, input: { amount: string; reasons: string }, context: RequestContext): Promise<Outcome<{ recoveryId: string }>> {
      requireAction(actor, 'recovery:propose');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'recovery:propose', personId, clock.today());
        const state = await deps.monitoring.accountState(tx, actor.councilId, personId);
        const surplus = state?.result.reconciliation.surplusPence ?? 0n;
        const errors = reasonsErrors(input.reasons, true);
        const amount = parsePounds(input.amount);
        if (state === undefined || surplus <= 0n) errors.unshift({ path: 'amount', message: 'There is no surplus above the threshold to recover' });
        else if (!amount.ok) errors.unshift({ path: 'amount', message: amount.error === 'empty' ? 'Enter the amount to recover' : 'Enter the amount in pounds and pence, like 120.50' });
        else if (amount.pence <= 0n) errors.unshift({ path: 'amount', message: 'The amount must be more than £0.00' });
        else if (amount.pence > surplus) errors.unshift({ path: 'amount', message: `The amount must be no more than the surplus, ${formatPence(surplus)}` });
        if (errors.length > 0 || state === undefined || !amount.ok) return fail(errors);
        const r = state.result.reconciliation;
        const weeks = state.settings.surplusThresholdWeeks;
        const working = [
          `The balance on the direct payment account on ${longDate(state.period.end)} was ${formatPence(r.balancePence)}.`,
          `${formatPence(state.contingencyPence)} is the contingency agreed in the plan for needs that change. It is not counted as surplus.`,
          `The council’s threshold is ${weeks} weeks of payments: ${formatPence(r.thresholdPence)}. This is not counted as surplus either.`,
          `${formatPence(r.balancePence)} − ${formatPence(state.contingencyPence)} − ${formatPence(r.thresholdPence)} leaves a surplus of ${formatPence(r.surplusPence)}.`,
          amount.pence === r.surplusPence ? `We are recovering the surplus, ${formatPence(amount.pence)}.` : `We are recovering ${formatPence(amount.pence)} of it.`,
        ];
        const recoveryId = await propose(tx, repos, actor, personId, { kind: 'surplus', amountPence: amount.pence, reasons: input.reasons.trim(), working }, context);
        return ok({ recoveryId });
      });
    },

    /** Proposes the year-end recovery the council's rollover policy gives as of `asOf`; the working is the rollover's explanation. */
    async proposeYearEnd(actor: Actor, personId: string, input: { asOf?: string; reasons: string }, context: RequestContext): Promise<Outcome<{ recoveryId: string }>> {
      requireAction(actor, 'recovery:propose');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'recovery:propose', personId, clock.today());
        const view = await deps.monitoring.rolloverWithin(tx, actor.councilId, personId, input.asOf);
        const errors = reasonsErrors(input.reasons, false);
        if (view === undefined || view.rollover.proposedRecoveryPence <= 0n) errors.unshift({ path: 'amount', message: 'The rollover policy gives nothing to recover' });
        if (errors.length > 0 || view === undefined) return fail(errors);
        const reasons = input.reasons.trim() === '' ? `The year ended on ${longDate(view.asOf)}. Under the council’s published rollover policy, money above the contingency and the amount that may be carried forward is recovered.` : input.reasons.trim();
        const recoveryId = await propose(tx, repos, actor, personId, { kind: 'year_end', amountPence: view.rollover.proposedRecoveryPence, reasons, working: [...view.rollover.explanation] }, context);
        return ok({ recoveryId });
      });
    },

    /**
     * Recoveries waiting for a decision, and challenges to approved ones waiting for theirs, with
     * whether the signed-in actor may decide each. Those on restricted records the actor may not open
     * are left out, and counted.
     */
    async waiting(actor: Actor): Promise<{ rows: WaitingRecovery[]; restrictedNotShown: number }> {
      requireAction(actor, 'recovery:decide');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const all = await monitoringRepository(tx).waitingRecoveries(clock.today());
        const open = all.filter((r) => mayDo(actor, 'recovery:decide', r.facts));
        const rows = open.map(({ facts: _facts, ...r }): WaitingRecovery =>
          r.status === 'proposed' ? { ...r, waitingFor: 'decision' as const, mayDecide: decideProblem(actor, r) } : { ...r, waitingFor: 'challenge' as const, mayDecide: challengeProblem(actor, r) },
        );
        return { rows, restrictedNotShown: all.length - open.length };
      });
    },

    /** One recovery, for finance to decide. Audited as a read of the person's record. */
    async view(actor: Actor, recoveryId: string, context: RequestContext): Promise<RecoveryView> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const recovery = isUuid(recoveryId) ? await monitoringRepository(tx).recovery(recoveryId) : undefined;
        if (recovery === undefined) throw new NotFoundError(`No recovery with id ${recoveryId}`);
        await requirePerson(repos, actor, 'recovery:decide', recovery.personId, clock.today());
        await repos.audit.record({ ...auditedBy(actor, context, clock.now()), action: 'person.spending_viewed', subjectType: 'person', subjectId: recovery.personId, detail: { recoveryId } });
        return viewOf(actor, recovery, await personHeader(repos, recovery.personId));
      });
    },

    /**
     * Approves (posting holder → recoveries once, under `recovery:<id>`) or cancels a proposed
     * recovery, with a note. The proposer may not decide it; a recovery already decided is out of order.
     */
    async decide(actor: Actor, recoveryId: string, input: { decision: string; note: string }, context: RequestContext): Promise<Outcome<{ personId: string }>> {
      requireAction(actor, 'recovery:decide');
      if (!isUuid(recoveryId)) throw new NotFoundError(`No recovery with id ${recoveryId}`);
      let told: string[] = [];
      const outcome = await ledger.withRetries(actor.councilId, async (tx): Promise<Outcome<{ personId: string }>> => {
        const { repos, m, recovery } = await lockedRecovery(tx, actor, 'recovery:decide', recoveryId);
        if (recovery.status !== 'proposed') throw new OutOfOrderError(`This recovery has already been ${recovery.status}`);
        if (recovery.proposedBy === actor.accountId) throw new ForbiddenError('You proposed this recovery: another finance officer or an approver must decide it');
        const errors: { path: string; message: string }[] = [];
        if (input.decision !== 'approve' && input.decision !== 'cancel') errors.push({ path: 'decision', message: 'Select whether to approve or cancel the recovery' });
        const note = input.note.trim();
        errors.push(...noteErrors(note, 'note', 'Enter a note about your decision'));
        if (errors.length > 0) return fail(errors);
        const now = clock.now();
        const today = clock.today();
        if (input.decision === 'cancel') {
          if (!(await m.decideRecovery({ id: recovery.id, status: 'cancelled', decidedBy: actor.accountId, decidedAt: now, note, challengeBy: null, transactionId: null }))) {
            throw new OutOfOrderError('This recovery has just been decided by someone else');
          }
          await repos.audit.record({ ...auditedBy(actor, context, now), action: 'person.recovery_cancelled', subjectType: 'person', subjectId: recovery.personId, detail: { recoveryId } });
          return ok({ personId: recovery.personId });
        }
        const transactionId = await postRecovery(tx, m, actor, recovery, {
          key: `recovery:${recovery.id}`,
          description: recovery.kind === 'surplus' ? 'Recovery of surplus direct payment' : 'Recovery of direct payment at year end',
          fromHolderPence: recovery.amountPence,
        });
        const challengeBy = addDays(today, CHALLENGE_DAYS);
        if (!(await m.decideRecovery({ id: recovery.id, status: 'approved', decidedBy: actor.accountId, decidedAt: now, note, challengeBy, transactionId }))) {
          throw new OutOfOrderError('This recovery has just been decided by someone else');
        }
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.recovery_approved',
          subjectType: 'person',
          subjectId: recovery.personId,
          detail: { recoveryId, amountPence: recovery.amountPence.toString(), transactionId, challengeBy },
        });
        told = await familyEmails(repos, recovery.personId);
        return ok({ personId: recovery.personId });
      });
      if (outcome.ok) await tell(told, recoveryId, FAMILY_EMAIL);
      return outcome;
    },

    /**
     * Records that the family challenged an approved recovery: the day it was received (a real date,
     * not in the future, not before the approval) and what they said. A challenge after the date to
     * challenge by is still recorded (the page says it came late): councils still consider them.
     */
    async recordChallenge(actor: Actor, recoveryId: string, input: { receivedOn: string; summary: string }, context: RequestContext): Promise<Outcome<{ personId: string }>> {
      requireAction(actor, 'recovery:propose');
      if (!isUuid(recoveryId)) throw new NotFoundError(`No recovery with id ${recoveryId}`);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const locked = await lockedRecovery(tx, actor, 'recovery:propose', recoveryId);
        const { recovery } = locked;
        if (recovery.status !== 'approved' || recovery.challengeBy === null) throw new OutOfOrderError('Only an approved recovery can be challenged');
        if (recovery.challenge !== null) throw new OutOfOrderError('A challenge to this recovery has already been recorded');
        const errors: { path: string; message: string }[] = [];
        // The day it was approved: challenge_by is set to it plus CHALLENGE_DAYS on approval.
        const dateProblem = receivedOnProblem(input.receivedOn, { today: clock.today(), approvedOn: addDays(recovery.challengeBy, -CHALLENGE_DAYS) });
        if (dateProblem !== null) errors.push({ path: 'receivedOn', message: dateProblem });
        const summary = input.summary.trim();
        errors.push(...summaryErrors(summary, 'Enter what the family said', 'What the family said'));
        if (errors.length > 0) return fail(errors);
        await receiveChallenge(locked, actor, context, { receivedOn: input.receivedOn, summary, online: false });
        return ok({ personId: recovery.personId });
      });
    },

    /**
     * The family's own challenge, sent from the notice: received today, in their words, and then
     * waiting for someone who was not part of the decision, as a challenge staff record is. One per
     * recovery; a late one is still taken (councils still consider them). A recovery the family
     * cannot see a notice for (not approved) is not found.
     */
    async challenge(actor: Actor, recoveryId: string, input: { summary: string }, context: RequestContext): Promise<Outcome<{ personId: string }>> {
      requireAction(actor, 'recovery:challenge');
      if (!isUuid(recoveryId)) throw new NotFoundError(`No notice with id ${recoveryId}`);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const locked = await lockedRecovery(tx, actor, 'recovery:challenge', recoveryId);
        const { recovery } = locked;
        if (recovery.status !== 'approved' || recovery.challengeBy === null) throw new NotFoundError(`No notice with id ${recoveryId}`);
        if (recovery.challenge !== null) throw new OutOfOrderError('We have already received your challenge to this decision');
        const summary = input.summary.trim();
        const errors = summaryErrors(summary, 'Enter why you think the decision is wrong', 'Why you think the decision is wrong');
        if (errors.length > 0) return fail(errors);
        await receiveChallenge(locked, actor, context, { receivedOn: clock.today(), summary, online: true });
        return ok({ personId: recovery.personId });
      });
    },

    /**
     * Decides a recorded challenge, by someone who was not part of the decision (the database checks this
     * too). A repayment posts recoveries → holder as a `recovery` the other way round (the family's
     * statement nets it off what was recovered) under `recovery:<id>:repaid`, in the same transaction
     * as the outcome; the row is locked, so deciding twice is out of order and never posts twice.
     */
    async decideChallenge(actor: Actor, recoveryId: string, input: { outcome: string; repayPounds?: string; note: string }, context: RequestContext): Promise<Outcome<{ personId: string }>> {
      requireAction(actor, 'recovery:decide');
      if (!isUuid(recoveryId)) throw new NotFoundError(`No recovery with id ${recoveryId}`);
      let told: string[] = [];
      const outcome = await ledger.withRetries(actor.councilId, async (tx): Promise<Outcome<{ personId: string }>> => {
        const { repos, m, recovery } = await lockedRecovery(tx, actor, 'recovery:decide', recoveryId);
        if (recovery.challenge === null) throw new OutOfOrderError('No challenge to this recovery has been recorded');
        if (recovery.challenge.decision !== null) throw new OutOfOrderError('This challenge has already been decided');
        if (wasPartOfDecision(actor.accountId, recovery)) throw new ForbiddenError(NOT_PART_OF_IT);
        const errors: { path: string; message: string }[] = [];
        let repaid: Pence = 0n;
        if (!(CHALLENGE_OUTCOMES as readonly string[]).includes(input.outcome)) errors.push({ path: 'outcome', message: 'Select whether the challenge is upheld, partly upheld or not upheld' });
        else {
          const repayment = repaymentFor(input.outcome as ChallengeOutcome, recovery.amountPence, input.repayPounds ?? '');
          if (repayment.ok) repaid = repayment.pence;
          else errors.push({ path: 'repay', message: repayment.message });
        }
        const note = input.note.trim();
        errors.push(...noteErrors(note, 'challengeNote', 'Enter a note about your decision, in words the family will read'));
        if (errors.length > 0) return fail(errors);
        const now = clock.now();
        const transactionId =
          repaid > 0n ? await postRecovery(tx, m, actor, recovery, { key: `recovery:${recovery.id}:repaid`, description: 'Recovered money paid back after a challenge', fromHolderPence: -repaid }) : null;
        const decided = input.outcome as ChallengeOutcome;
        if (!(await m.decideChallenge({ id: recovery.id, outcome: decided, decidedBy: actor.accountId, decidedAt: now, note, repaidPence: repaid, transactionId }))) {
          throw new OutOfOrderError('This challenge has just been decided by someone else');
        }
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.recovery_challenge_decided',
          subjectType: 'person',
          subjectId: recovery.personId,
          detail: { recoveryId, outcome: decided, repaidPence: repaid.toString(), transactionId },
        });
        told = await familyEmails(repos, recovery.personId);
        return ok({ personId: recovery.personId });
      });
      if (outcome.ok) await tell(told, recoveryId, REPAID_EMAIL);
      return outcome;
    },

    /** The notice of an approved recovery, for the family (and staff) to read and print. Audited. */
    async notice(actor: Actor, recoveryId: string, context: RequestContext): Promise<RecoveryView> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const recovery = isUuid(recoveryId) ? await monitoringRepository(tx).recovery(recoveryId) : undefined;
        if (recovery === undefined || recovery.status !== 'approved') throw new NotFoundError(`No notice with id ${recoveryId}`);
        await requirePerson(repos, actor, 'person:spending', recovery.personId, clock.today());
        await repos.audit.record({ ...auditedBy(actor, context, clock.now()), action: 'person.recovery_notice_viewed', subjectType: 'person', subjectId: recovery.personId, detail: { recoveryId } });
        return viewOf(actor, recovery, await personHeader(repos, recovery.personId));
      });
    },
  };

  async function propose(
    tx: TenantTx,
    repos: Repositories,
    actor: Actor,
    personId: string,
    input: { kind: 'surplus' | 'year_end'; amountPence: Pence; reasons: string; working: readonly string[] },
    context: RequestContext,
  ): Promise<string> {
    const id = crypto.randomUUID();
    const now = clock.now();
    await monitoringRepository(tx).insertRecovery({
      id,
      councilId: actor.councilId,
      personId,
      amountPence: input.amountPence,
      kind: input.kind,
      reasons: input.reasons.slice(0, 4000),
      working: input.working.join('\n').slice(0, 4000),
      proposedBy: actor.accountId,
      proposedAt: now,
    });
    await repos.audit.record({
      ...auditedBy(actor, context, now),
      action: 'person.recovery_proposed',
      subjectType: 'person',
      subjectId: personId,
      detail: { recoveryId: id, kind: input.kind, amountPence: input.amountPence.toString() },
    });
    return id;
  }
}

/** A decision's note: required, at most MAX_NOTE characters; the errors to show against `path`. */
function noteErrors(note: string, path: string, emptyMessage: string): { path: string; message: string }[] {
  if (note === '') return [{ path, message: emptyMessage }];
  if (note.length > MAX_NOTE) return [{ path, message: `The note must be ${MAX_NOTE.toLocaleString('en-GB')} characters or fewer` }];
  return [];
}

/** The person's direct payment holder account: the schedule's, else the one opened for them. */
async function holderAccount(m: MonitoringRepository, personId: string): Promise<string> {
  const budget = await m.budget(personId);
  const schedule = budget === undefined ? undefined : await m.schedule(budget.id);
  const holder = schedule?.holderAccountId ?? (await m.holderAccountId(personId));
  if (holder === undefined) throw new NotFoundError('There is no direct payment account for this person to recover from');
  return holder;
}

export type RecoveryServices = ReturnType<typeof recoveryServices>;

/** What a challenge says: not empty, not too long. */
function summaryErrors(summary: string, whenEmpty: string, what: string): { path: string; message: string }[] {
  if (summary === '') return [{ path: 'summary', message: whenEmpty }];
  if (summary.length > MAX_REASONS) return [{ path: 'summary', message: `${what} must be ${MAX_REASONS.toLocaleString('en-GB')} characters or fewer` }];
  return [];
}
