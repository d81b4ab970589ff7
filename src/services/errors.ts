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
