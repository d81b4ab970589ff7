/**
 * Family and provider users join by invitation (docs/decisions/0007-invitations-and-mail.md).
 *
 *  - A caseworker or administrator invites a family member to see one person's record (parent
 *    carer, the young person themself from 16, a nominee or a suitable person); an administrator
 *    invites a user of a provider organisation. The email carries a link with a random 256-bit
 *    token; only its SHA-256 is stored. The link works once, for 7 days.
 *  - Opening the link shows who sent it and what it gives access to. Accepting it makes the account
 *    (with a password of 12 characters or more: these accounts have no authenticator app by
 *    default), links it, marks the invitation accepted and signs the person in, in one transaction.
 *  - A family account that already exists in the council (a parent of siblings, invited again)
 *    proves itself with its current password instead, and gets the new link.
 *  - An email that belongs to a staff or provider account, or to any account in another council,
 *    is refused: one email is one account.
 */
import crypto from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { Clock } from '../clock.ts';
import type { SystemRepository } from '../db/system.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { InvitationDetails, PendingInvitation } from '../db/repositories/invitations.ts';
import type { FamilyLink } from '../db/repositories/person-access.ts';
import type { FamilyRelationship } from '../db/schema.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { RELATIONSHIP_LABELS } from '../domain/access/roles.ts';
import { invitationExpiry, invitationState, LINK_TOKEN_PATTERN, relationshipRefusal, INVITATION_DAYS } from '../domain/identity/invitations.ts';
import { normaliseEmail } from '../domain/identity/sign-in.ts';
import { ageOn } from '../domain/people/people.ts';
import { hashToken, startSessionFor } from './auth.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { reserveSignInAttempt } from './attempts.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { Mailer } from './mail/mailer.ts';
import { londonDateTime } from './mail/wording.ts';
import { hashNewPassword, PasswordNotAllowedError } from './passwords.ts';
import { requirePerson } from './people.ts';

/** Absolute links for emails (PUBLIC_BASE_URL and the page's path). */
export interface MailLinks {
  invitation(token: string): string;
  passwordReset(token: string): string;
}

export interface FamilyInvitePage {
  readonly person: { readonly id: string; readonly givenName: string; readonly familyName: string; readonly age: number };
  readonly linked: readonly FamilyLink[];
  readonly pending: readonly PendingInvitation[];
  /** False when the person is under 16: they cannot yet be invited as the young person. */
  readonly youngPersonAllowed: boolean;
}

export interface InviteForm {
  readonly displayName: string;
  readonly email: string;
}

/** A problem with what the inviter entered, for one field. */
export interface InviteRefusal {
  readonly outcome: 'refused';
  readonly field: 'email' | 'relationship' | 'providerId';
  readonly text: string;
}

export type InviteResult =
  | { readonly outcome: 'sent'; readonly email: string; readonly expiresAt: Date }
  | InviteRefusal
  /** The invitation was made but the email could not be sent; it has been withdrawn. */
  | { readonly outcome: 'mail-failed'; readonly error: unknown };

/** Why an invitation cannot be accepted by the account its email belongs to. */
export type AcceptRefusal = 'other-council' | 'staff' | 'provider' | 'family' | 'disabled';

export type AcceptMode =
  /** A new account: name, password and confirmation. */
  | { readonly mode: 'new' }
  /** A family account of this council uses the email: its current password adds the link. */
  | { readonly mode: 'existing' }
  | { readonly mode: 'refused'; readonly reason: AcceptRefusal };

export type AcceptPage =
  | { readonly state: 'unknown' }
  | { readonly state: 'gone' }
  | ({ readonly state: 'open'; readonly invitation: InvitationDetails } & AcceptMode);

export type AcceptResult =
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'gone' }
  | { readonly outcome: 'refused'; readonly reason: AcceptRefusal }
  | { readonly outcome: 'password-not-allowed'; readonly text: string }
  | { readonly outcome: 'wrong-password' }
  | { readonly outcome: 'throttled' }
  /** Accepted: a session is open for the account (`auth.resolve` the token for its actor). */
  | { readonly outcome: 'signed-in'; readonly sessionToken: string };

/** Thrown inside the accepting transaction to undo it. */
class InvitationGone extends Error {}
class EmailTaken extends Error {}

function newLinkToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] ?? displayName;
}

export function invitationServices(deps: {
  system: SystemRepository;
  withCouncil: WithCouncil;
  clock: Clock;
  mailer: Mailer;
  links: MailLinks;
}) {
  /** Sends the invitation; on failure withdraws it (nobody has the link) and reports it. */
  const deliver = async (councilId: string, invitationId: string, to: string, subject: string, body: string): Promise<unknown> => {
    try {
      await deps.mailer.send({ to, subject, body, kind: 'invitation' });
      return undefined;
    } catch (error) {
      await deps.withCouncil(councilId, (tx) => repositories(tx).invitations.revoke(invitationId, deps.clock.now()));
      return error;
    }
  };

  /** The facts an invitation's page and its acceptance rest on, or why there are none. */
  const openInvitation = async (token: string): Promise<{ state: 'unknown' } | { state: 'gone' } | { state: 'open'; invitation: InvitationDetails }> => {
    if (!LINK_TOKEN_PATTERN.test(token)) return { state: 'unknown' };
    const found = await deps.system.findInvitation(hashToken(token));
    if (found === undefined) return { state: 'unknown' };
    const invitation = await deps.withCouncil(found.councilId, (tx) => repositories(tx).invitations.details(found.invitationId));
    if (invitation === undefined) return { state: 'unknown' };
    if (invitationState(invitation, deps.clock.now()) !== 'open') return { state: 'gone' };
    return { state: 'open', invitation };
  };

  /** Whether the invitation makes a new account, adds a link to an existing one, or cannot be accepted. */
  const modeFor = async (invitation: InvitationDetails): Promise<AcceptMode> => {
    const existing = await deps.system.findAccountByEmail(invitation.email);
    if (existing === undefined) return { mode: 'new' };
    if (existing.councilId !== invitation.councilId) return { mode: 'refused', reason: 'other-council' };
    if (existing.kind === 'staff') return { mode: 'refused', reason: 'staff' };
    if (existing.disabled) return { mode: 'refused', reason: 'disabled' };
    if (invitation.kind === 'family' && existing.kind === 'family') return { mode: 'existing' };
    return { mode: 'refused', reason: existing.kind === 'provider' ? 'provider' : 'family' };
  };

  /** Inside the accepting transaction: claim the invitation, link, audit, sign in. */
  const completeAcceptance = async (
    repos: ReturnType<typeof repositories>,
    invitation: InvitationDetails,
    accountId: string,
    kind: 'family' | 'provider',
    context: RequestContext,
    newAccount: boolean,
  ): Promise<string> => {
    const now = deps.clock.now();
    if (!(await repos.invitations.claim(invitation.id, accountId, now))) throw new InvitationGone();
    if (invitation.kind === 'family' && invitation.personId !== null && invitation.relationship !== null) {
      await repos.personAccess.link({ councilId: invitation.councilId, accountId, personId: invitation.personId, relationship: invitation.relationship, now });
    }
    await repos.audit.record({
      councilId: invitation.councilId,
      occurredAt: now,
      actorId: accountId,
      actorRole: kind,
      action: 'invitation.accepted',
      ...(invitation.kind === 'family' && invitation.personId !== null
        ? { subjectType: 'person', subjectId: invitation.personId }
        : { subjectType: 'provider', subjectId: invitation.providerId ?? undefined }),
      sourceAddress: context.sourceAddress,
      requestId: context.requestId,
      detail: { invitationId: invitation.id, accountId, newAccount, relationship: invitation.relationship, providerId: invitation.providerId },
    });
    return startSessionFor(repos, { councilId: invitation.councilId, accountId, role: kind }, context, now, {
      secondFactor: 'none',
      via: 'invitation',
      invitationId: invitation.id,
    });
  };

  /**
   * Records a new invitation, in the caller's transaction, and audits it. Sending again replaces an
   * earlier open link to the same address for the same person or provider.
   */
  const recordInvitation = async (
    repos: Repositories,
    actor: Actor,
    context: RequestContext,
    link: { token: string; now: Date; expiresAt: Date },
    invitation:
      | { kind: 'family'; email: string; displayName: string; personId: string; relationship: FamilyRelationship }
      | { kind: 'provider'; email: string; displayName: string; providerId: string },
  ): Promise<string> => {
    const { now, expiresAt } = link;
    const target = invitation.kind === 'family' ? { personId: invitation.personId } : { providerId: invitation.providerId };
    await repos.invitations.revokeOpen({ email: invitation.email, ...target }, now);
    const invitationId = crypto.randomUUID();
    await repos.invitations.create({
      id: invitationId,
      councilId: actor.councilId,
      tokenHash: hashToken(link.token),
      ...invitation,
      invitedBy: actor.accountId,
      now,
      expiresAt,
    });
    await repos.audit.record({
      ...auditedBy(actor, context, now),
      action: 'invitation.sent',
      subjectType: invitation.kind === 'family' ? 'person' : 'provider',
      subjectId: invitation.kind === 'family' ? invitation.personId : invitation.providerId,
      detail: {
        invitationId,
        kind: invitation.kind,
        ...(invitation.kind === 'family' ? { relationship: invitation.relationship } : {}),
        email: invitation.email,
        expiresAt: expiresAt.toISOString(),
      },
    });
    return invitationId;
  };

  return {
    /** The staff page for inviting a family member to see one person's record. */
    /** The invitation form, with who already sees the record: a read of it, so audited. */
    async familyInvitePage(actor: Actor, personId: string, context: RequestContext): Promise<FamilyInvitePage> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const today = deps.clock.today();
        await requirePerson(repos, actor, 'person:invite-family', personId, today);
        const person = await repos.people.findById(personId);
        if (person === undefined) throw new NotFoundError(`No person with id ${personId} in this council`);
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'person.family_access_viewed',
          subjectType: 'person',
          subjectId: person.id,
        });
        const age = ageOn(person.dateOfBirth, today);
        return {
          person: { id: person.id, givenName: person.givenName, familyName: person.familyName, age },
          linked: await repos.personAccess.familyOf(personId),
          pending: await repos.invitations.openForPerson(personId, deps.clock.now()),
          youngPersonAllowed: relationshipRefusal('young_person', person.dateOfBirth, today) === undefined,
        };
      });
    },

    async inviteFamily(
      actor: Actor,
      personId: string,
      form: InviteForm & { relationship: FamilyRelationship },
      context: RequestContext,
    ): Promise<InviteResult> {
      const token = newLinkToken();
      const now = deps.clock.now();
      const expiresAt = invitationExpiry(now);
      const made = await deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const today = deps.clock.today();
        await requirePerson(repos, actor, 'person:invite-family', personId, today);
        const person = await repos.people.findById(personId);
        if (person === undefined) throw new NotFoundError(`No person with id ${personId} in this council`);
        const refusal = relationshipRefusal(form.relationship, person.dateOfBirth, today);
        if (refusal !== undefined) return { outcome: 'refused', field: 'relationship', text: `${refusal}. ${person.givenName} is ${ageOn(person.dateOfBirth, today)}` } as const;
        const existing = await repos.credentials.byEmail(form.email);
        if (existing !== undefined && existing.kind !== 'family') {
          return { outcome: 'refused', field: 'email', text: 'This email address belongs to a staff or provider account. Enter the family member’s own email address' } as const;
        }
        if (existing !== undefined && existing.disabled) {
          return { outcome: 'refused', field: 'email', text: 'The family account with this email address has been disabled. Ask an administrator about it' } as const;
        }
        if (existing !== undefined && (await repos.personAccess.familyOf(personId)).some((l) => l.accountId === existing.accountId)) {
          return { outcome: 'refused', field: 'email', text: `The account with this email address can already see ${person.givenName}’s record` } as const;
        }
        const invitationId = await recordInvitation(repos, actor, context, { token, now, expiresAt }, {
          kind: 'family',
          email: form.email,
          displayName: form.displayName,
          personId,
          relationship: form.relationship,
        });
        return { outcome: 'made', invitationId, givenName: person.givenName } as const;
      });
      if (made.outcome === 'refused') return made;
      const as = RELATIONSHIP_LABELS[form.relationship].toLowerCase();
      const whose = form.relationship === 'young_person' ? 'your own' : `${made.givenName}’s`;
      const body = invitationEmail({
        name: form.displayName,
        invitedTo: `${actor.displayName} at ${actor.councilName} has invited you to use OneBudget to see ${whose} support plan and personal budget, as ${form.relationship === 'young_person' ? 'the young person' : `their ${as}`}.`,
        link: deps.links.invitation(token),
        expiresAt,
        askFor: actor.displayName,
        reassurance: 'If you were not expecting this email, you can ignore it. Nobody can see anything until the invitation is accepted.',
        councilName: actor.councilName,
      });
      const subject = form.relationship === 'young_person' ? 'You are invited to see your personal budget in OneBudget' : `You are invited to see ${made.givenName}’s personal budget in OneBudget`;
      const error = await deliver(actor.councilId, made.invitationId, form.email, subject, body);
      if (error !== undefined) return { outcome: 'mail-failed', error };
      return { outcome: 'sent', email: form.email, expiresAt };
    },

    /** The council's provider organisations, for the administrator's page. */
    async providerInvitePage(actor: Actor): Promise<{ id: string; name: string; town: string }[]> {
      if (!mayDo(actor, 'accounts:manage')) throw new ForbiddenError('Only administrators can invite provider users');
      return deps.withCouncil(actor.councilId, (tx) => repositories(tx).invitations.providers());
    },

    async inviteProvider(actor: Actor, form: InviteForm & { providerId: string }, context: RequestContext): Promise<InviteResult> {
      if (!mayDo(actor, 'accounts:manage')) throw new ForbiddenError('Only administrators can invite provider users');
      const token = newLinkToken();
      const now = deps.clock.now();
      const expiresAt = invitationExpiry(now);
      const made = await deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const provider = (await repos.invitations.providers()).find((p) => p.id === form.providerId);
        if (provider === undefined) return { outcome: 'refused', field: 'providerId', text: 'Select the provider organisation' } as const;
        if ((await repos.credentials.byEmail(form.email)) !== undefined) {
          return { outcome: 'refused', field: 'email', text: 'This email address already has a OneBudget account. Enter the provider user’s own work email address' } as const;
        }
        const invitationId = await recordInvitation(repos, actor, context, { token, now, expiresAt }, {
          kind: 'provider',
          email: form.email,
          displayName: form.displayName,
          providerId: provider.id,
        });
        return { outcome: 'made', invitationId, providerName: provider.name } as const;
      });
      if (made.outcome === 'refused') return made;
      const body = invitationEmail({
        name: form.displayName,
        invitedTo: `${actor.displayName} at ${actor.councilName} has invited you to use OneBudget for ${made.providerName}. You will see the records of the people whose support ${made.providerName} provides for ${actor.councilName}, while it provides it.`,
        link: deps.links.invitation(token),
        expiresAt,
        askFor: actor.councilName,
        reassurance: 'If you were not expecting this email, you can ignore it.',
        councilName: actor.councilName,
      });
      const error = await deliver(actor.councilId, made.invitationId, form.email, `You are invited to use OneBudget for ${made.providerName}`, body);
      if (error !== undefined) return { outcome: 'mail-failed', error };
      return { outcome: 'sent', email: form.email, expiresAt };
    },

    /** What the invitation page shows for a link. */
    async acceptPage(token: string): Promise<AcceptPage> {
      const found = await openInvitation(token);
      if (found.state !== 'open') return found;
      return { state: 'open', invitation: found.invitation, ...(await modeFor(found.invitation)) };
    },

    /**
     * Accepts an invitation. A new account takes `displayName` and `password` (already confirmed by
     * the form); an existing family account takes its current `password`.
     */
    async accept(token: string, form: { displayName: string; password: string }, context: RequestContext): Promise<AcceptResult> {
      const found = await openInvitation(token);
      if (found.state === 'unknown') return { outcome: 'unknown' };
      if (found.state === 'gone') return { outcome: 'gone' };
      const invitation = found.invitation;
      const mode = await modeFor(invitation);
      if (mode.mode === 'refused') return { outcome: 'refused', reason: mode.reason };

      try {
        if (mode.mode === 'new') {
          let passwordHash: string;
          try {
            passwordHash = await hashNewPassword(form.password, { hasMfa: false, personalWords: [invitation.email, form.displayName] });
          } catch (error) {
            if (error instanceof PasswordNotAllowedError) return { outcome: 'password-not-allowed', text: error.detail };
            throw error;
          }
          const accountId = crypto.randomUUID();
          const sessionToken = await deps.withCouncil(invitation.councilId, async (tx) => {
            const repos = repositories(tx);
            try {
              await repos.credentials.createInvited({
                id: accountId,
                councilId: invitation.councilId,
                kind: invitation.kind,
                email: invitation.email,
                displayName: form.displayName,
                providerId: invitation.providerId,
                passwordHash,
                now: deps.clock.now(),
              });
            } catch (error) {
              // Another account took the email since the page was shown (one email, one account).
              if ((error as { code?: string }).code === '23505') throw new EmailTaken();
              throw error;
            }
            return completeAcceptance(repos, invitation, accountId, invitation.kind, context, true);
          });
          return { outcome: 'signed-in', sessionToken };
        }

        // An existing family account: its current password, throttled like signing in.
        const now = deps.clock.now();
        const reservation = await reserveSignInAttempt(deps.system, now, normaliseEmail(invitation.email), context.sourceAddress);
        if (reservation.throttled) return { outcome: 'throttled' };
        const existing = await deps.withCouncil(invitation.councilId, (tx) => repositories(tx).credentials.byEmail(invitation.email));
        if (existing === undefined || existing.kind !== 'family' || existing.disabled) return { outcome: 'refused', reason: 'family' };
        if (!(await verify(existing.passwordHash, form.password).catch(() => false))) return { outcome: 'wrong-password' };
        await deps.system.markAttemptSucceeded(reservation.attemptId);
        const sessionToken = await deps.withCouncil(invitation.councilId, (tx) =>
          completeAcceptance(repositories(tx), invitation, existing.accountId, 'family', context, false),
        );
        return { outcome: 'signed-in', sessionToken };
      } catch (error) {
        if (error instanceof InvitationGone) return { outcome: 'gone' };
        if (error instanceof EmailTaken) return { outcome: 'refused', reason: 'family' };
        throw error;
      }
    },
  };
}

export type InvitationServices = ReturnType<typeof invitationServices>;

/** The plain-text invitation email: who invites them to what, the link, until when, and who to ask. */
function invitationEmail(parts: {
  name: string;
  invitedTo: string;
  link: string;
  expiresAt: Date;
  askFor: string;
  reassurance: string;
  councilName: string;
}): string {
  return [
    `Hello ${firstName(parts.name)},`,
    '',
    parts.invitedTo,
    '',
    'To accept, open this link and choose a password:',
    '',
    parts.link,
    '',
    `The link works once, until ${londonDateTime(parts.expiresAt)} (${INVITATION_DAYS} days). If it has expired, ask ${parts.askFor} for a new one.`,
    '',
    parts.reassurance,
    '',
    `OneBudget, ${parts.councilName}`,
  ].join('\n');
}
