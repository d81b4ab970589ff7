/** Failures a use case reports on purpose. Routes turn them into 404/403 pages and problem+json. */
export class NotFoundError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'ForbiddenError';
  }
}

/**
 * A high-value action needs a fresh second factor (step-up) first. Pages send the person to the
 * step-up page and back; the API answers 403 with this detail.
 */
export class StepUpRequiredError extends Error {
  constructor(readonly detail = 'Enter a code from your authenticator app again before you do this') {
    super(detail);
    this.name = 'StepUpRequiredError';
  }
}
