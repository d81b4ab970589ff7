/** View models for the invitation pages: the templates only lay these out. */
import type { FamilyRelationship } from '../../../db/schema.ts';
import type { InvitationDetails } from '../../../db/repositories/invitations.ts';
import { RELATIONSHIP_LABELS } from '../../../domain/access/roles.ts';
import { FAMILY_RELATIONSHIPS, YOUNG_PERSON_MIN_AGE } from '../../../domain/identity/invitations.ts';
import { MIN_LENGTH } from '../../../domain/identity/password-policy.ts';
import type { AcceptRefusal, FamilyInvitePage } from '../../../services/invitations.ts';
import { londonDateTime } from '../../../services/mail/wording.ts';
import { paths } from '../../paths.ts';
import type { FamilyInviteValues, FieldError, ProviderInviteValues } from './form.ts';

export const PASSWORD_HINT = `Use ${MIN_LENGTH} characters or more. A good password is 3 or more random words, like “kettle orange bicycle”. You can paste it from a password manager.`;

function relationshipHint(relationship: FamilyRelationship, givenName: string, age: number): string {
  switch (relationship) {
    case 'parent_carer':
      return `A parent of ${givenName}, or someone who cares for them`;
    case 'young_person':
      return age >= YOUNG_PERSON_MIN_AGE
        ? `${givenName} themself`
        : `${givenName} themself, from the age of ${YOUNG_PERSON_MIN_AGE} (${givenName} is ${age} now)`;
    case 'nominee':
      return `Someone named to receive and manage a direct payment for ${givenName}`;
    case 'suitable_person':
      return `Someone who manages a direct payment for ${givenName} because they cannot manage it themself`;
  }
}

export function inviteFamilyModel(page: FamilyInvitePage, options: { values?: Partial<FamilyInviteValues>; errors?: readonly FieldError[] } = {}) {
  const { person } = page;
  const name = `${person.givenName} ${person.familyName}`;
  return {
    title: 'Invite a family member',
    heading: `Invite a family member to see ${name}’s record`,
    givenName: person.givenName,
    backHref: paths.people.show({ personId: person.id }),
    action: paths.invitations.inviteFamily({ personId: person.id }),
    values: options.values ?? {},
    errors: options.errors ?? [],
    relationshipItems: FAMILY_RELATIONSHIPS.map((r) => ({
      value: r,
      text: RELATIONSHIP_LABELS[r],
      hint: { text: relationshipHint(r, person.givenName, person.age) },
      checked: options.values?.relationship === r,
    })),
    linkedRows: page.linked.map((l) => [
      { text: l.displayName },
      { text: l.email },
      { text: RELATIONSHIP_LABELS[l.relationship] },
      { text: l.disabled ? 'Disabled' : 'Active' },
    ]),
    pendingRows: page.pending.map((p) => [
      { text: p.displayName },
      { text: p.email },
      { text: p.relationship === null ? '' : RELATIONSHIP_LABELS[p.relationship] },
      { text: londonDateTime(p.expiresAt) },
    ]),
  };
}

export function invitationSentModel(options: { email: string; expiresAt: Date; backHref: string; backText: string; againHref: string; againText: string }) {
  return {
    title: 'Invitation sent',
    email: options.email,
    expires: londonDateTime(options.expiresAt),
    backHref: options.backHref,
    backText: options.backText,
    againHref: options.againHref,
    againText: options.againText,
  };
}

export function inviteProviderModel(
  providers: readonly { id: string; name: string; town: string }[],
  options: { values?: Partial<ProviderInviteValues>; errors?: readonly FieldError[] } = {},
) {
  return {
    title: 'Invite a provider user',
    action: paths.invitations.inviteProvider(),
    backHref: paths.accountAdmin.index(),
    values: options.values ?? {},
    errors: options.errors ?? [],
    providerItems: [
      { value: '', text: 'Choose the organisation', selected: !options.values?.providerId },
      ...providers.map((p) => ({ value: p.id, text: `${p.name} (${p.town})`, selected: options.values?.providerId === p.id })),
    ],
  };
}

/** What accepting gives access to, in the words the invitee reads. */
function access(invitation: InvitationDetails): { intro: string; items: string[] } {
  if (invitation.kind === 'provider') {
    const provider = invitation.providerName ?? 'your organisation';
    return {
      intro: `You will be able to see, for ${provider}:`,
      items: [
        `the records of the people whose support ${provider} provides for ${invitation.councilName}, while it provides it`,
        'their support plans and personal budgets',
      ],
    };
  }
  const given = invitation.personGivenName ?? 'the person';
  const own = invitation.relationship === 'young_person';
  return {
    intro: 'You will be able to see:',
    items: [
      own ? 'your personal budget and how it was worked out' : `${given}’s personal budget and how it was worked out`,
      own ? 'your support plan and where it is in the process' : `their support plan and where it is in the process`,
      own ? 'who has looked at your record' : 'who has looked at their record',
    ],
  };
}

const REFUSALS: Readonly<Record<AcceptRefusal, string>> = {
  'other-council': 'This email address is already used by a OneBudget account at another council. One email address can only have one account.',
  staff: 'This email address belongs to a staff account. Family and provider accounts need their own email address.',
  provider: 'This email address belongs to a provider account. A family account needs a different email address.',
  family: 'This email address already has a OneBudget account, which this invitation cannot be added to.',
  disabled: 'The OneBudget account with this email address has been disabled.',
};

export function acceptModel(
  token: string,
  invitation: InvitationDetails,
  mode: { mode: 'new' | 'existing' } | { mode: 'refused'; reason: AcceptRefusal },
  options: { displayName?: string; errors?: readonly FieldError[] } = {},
) {
  const inviter = invitation.inviterJobTitle ? `${invitation.inviterName} (${invitation.inviterJobTitle})` : invitation.inviterName;
  const given = invitation.personGivenName ?? '';
  const about =
    invitation.kind === 'provider'
      ? `${inviter} at ${invitation.councilName} has invited you to use OneBudget for ${invitation.providerName ?? 'your organisation'}.`
      : invitation.relationship === 'young_person'
        ? `${inviter} at ${invitation.councilName} has invited you to see your own record in OneBudget.`
        : `${inviter} at ${invitation.councilName} has invited you to see ${given}’s record in OneBudget, as their ${RELATIONSHIP_LABELS[invitation.relationship ?? 'parent_carer'].toLowerCase()}.`;
  const title =
    mode.mode === 'existing'
      ? `Add ${invitation.relationship === 'young_person' ? 'your own record' : `${given}’s record`} to your account`
      : mode.mode === 'refused'
        ? 'This invitation cannot be accepted'
        : 'Create your OneBudget account';
  return {
    title,
    mode: mode.mode,
    refusal: mode.mode === 'refused' ? REFUSALS[mode.reason] : undefined,
    councilName: invitation.councilName,
    inviterName: invitation.inviterName,
    about,
    access: access(invitation),
    email: invitation.email,
    expires: londonDateTime(invitation.expiresAt),
    action: paths.invitations.accept({ token }),
    values: { displayName: options.displayName ?? invitation.displayName },
    errors: options.errors ?? [],
    passwordHint: PASSWORD_HINT,
    forgottenHref: paths.passwordReset.request(),
    signInHref: paths.signIn(),
  };
}

/** The link is unknown (404), or used, expired or withdrawn (410). */
export function invitationGoneModel() {
  return {
    title: 'This invitation link has expired or has already been used',
    signInHref: paths.signIn(),
    forgottenHref: paths.passwordReset.request(),
  };
}
