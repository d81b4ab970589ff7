/**
 * The payment run job (queue `payment-run`): pg-boss gives at-least-once delivery, and the run's
 * ledger keys make the payments exactly once (docs/decisions/0018-payment-runs.md).
 *
 * - One job works on one run for a SLICE of time (a third of `expireInSeconds`), then, if the run is
 *   not finished, sends a fresh job for it and ends. A job therefore never stays active longer
 *   than pg-boss's expiry while its worker is alive, and a job still active after the expiry
 *   means its worker died (kill -9, a lost machine): maintenance fails it and it is retried.
 * - The queue's policy is `short`: at most one job per run waits in the queue (singletonKey = run id),
 *   so the start-up sweep and a continuation never pile up duplicates.
 * - The start-up sweep sends a job for every run queued or running, in every council: a job lost
 *   between the run's commit and its send, or one whose worker died, is picked up at once by the
 *   next process to start rather than after the expiry.
 * - Two jobs on one run at once (a retry racing a continuation) are harmless: each batch locks the
 *   run row, and each instalment can be posted only once.
 */
import type PgBoss from 'pg-boss';
import type { PaymentRunJob, PaymentRunQueue, PaymentRunServices } from '../services/payment-runs.ts';
import type { Jobs } from './boss.ts';

export const PAYMENT_RUN_QUEUE = 'payment-run';

function isJob(data: unknown): data is PaymentRunJob {
  const d = data as Partial<PaymentRunJob> | null;
  return typeof d?.councilId === 'string' && typeof d.runId === 'string';
}

/** Creates (or updates) the queue with the configured expiry and retries. */
async function ensureQueue(jobs: Jobs): Promise<void> {
  const options: PgBoss.Queue = {
    name: PAYMENT_RUN_QUEUE,
    policy: 'short',
    expireInSeconds: jobs.config.expireInSeconds,
    retryLimit: jobs.config.retryLimit,
    retryDelay: 1,
    retryBackoff: true,
  };
  if ((await jobs.boss.getQueue(PAYMENT_RUN_QUEUE)) === null) await jobs.boss.createQueue(PAYMENT_RUN_QUEUE, options);
  else await jobs.boss.updateQueue(PAYMENT_RUN_QUEUE, options);
}

/** What the payment run services send their jobs through. */
export async function paymentRunQueue(jobs: Jobs): Promise<PaymentRunQueue> {
  await ensureQueue(jobs);
  return {
    async send(job: PaymentRunJob): Promise<void> {
      // null when a job for this run is already waiting (policy short): that one will do.
      await jobs.boss.send(PAYMENT_RUN_QUEUE, { councilId: job.councilId, runId: job.runId }, { singletonKey: job.runId });
    },
  };
}

export interface PaymentRunWorker {
  /** How many unfinished runs the start-up sweep sent again. */
  readonly resumed: number;
  stop(): Promise<void>;
}

/**
 * Starts working the queue. `councilIds` lists the councils whose unfinished runs are sent again
 * first (the sweep). `onError` hears about a job that failed (it is retried) or gave up.
 */
export async function startPaymentRunWorker(options: {
  jobs: Jobs;
  queue: PaymentRunQueue;
  paymentRuns: PaymentRunServices;
  councilIds: () => Promise<readonly string[]>;
  onError: (error: unknown) => void;
}): Promise<PaymentRunWorker> {
  const { jobs, queue, paymentRuns } = options;
  await ensureQueue(jobs);
  const sliceMs = Math.max(1, Math.floor(jobs.config.expireInSeconds / 3)) * 1000;
  const workerId = await jobs.boss.work<PaymentRunJob>(
    PAYMENT_RUN_QUEUE,
    { pollingIntervalSeconds: jobs.config.pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
    async ([job]) => {
      if (job === undefined || !isJob(job.data)) return;
      const { councilId, runId } = job.data;
      try {
        const result = await paymentRuns.process(councilId, runId, { until: Date.now() + sliceMs });
        // The slice is over: a fresh job carries on (this one completes, so it never expires while alive).
        if (!result.finished) await queue.send({ councilId, runId });
      } catch (error) {
        options.onError(error);
        // The last try: the run is marked failed so that finance sees it; earlier tries are retried.
        if (job.retryCount >= job.retryLimit) await paymentRuns.markFailed(councilId, runId, error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
  );
  const unfinished = await paymentRuns.unfinished(await options.councilIds());
  for (const job of unfinished) await queue.send(job);
  return {
    resumed: unfinished.length,
    async stop() {
      await jobs.boss.offWork({ id: workerId });
    },
  };
}
