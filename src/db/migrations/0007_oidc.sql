-- Staff single sign-on through the council's OpenID Connect provider
-- (docs/decisions/0009-staff-single-sign-on.md). At its first sign-in through the provider a staff
-- account is pinned to the provider's identity: the issuer and the subject (`sub`) of its ID token.
-- From then on only that identity signs in to it: another subject with the same email is refused.
-- Only staff accounts are ever pinned; one identity pins at most one account.

ALTER TABLE accounts
  ADD COLUMN oidc_issuer text,
  ADD COLUMN oidc_subject text,
  ADD CONSTRAINT accounts_oidc_identity_pair CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL)),
  ADD CONSTRAINT accounts_oidc_staff_only CHECK (oidc_issuer IS NULL OR kind = 'staff');
CREATE UNIQUE INDEX accounts_oidc_identity ON accounts (oidc_issuer, oidc_subject) WHERE oidc_issuer IS NOT NULL;
