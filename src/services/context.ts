/** What a use case knows about the request that asked for it: for the audit log. */
export interface RequestContext {
  readonly requestId: string;
  readonly sourceAddress: string;
}
