/**
 * The money, model-based (issue 6): fast-check generates random sequences of approvals and mid-year
 * amendments (each a new budget replacing the person's latest, closed out as agreement does),
 * payment runs (the same run again, a different run racing it, a run that crashes half
 * way and is run again), spending and refunds, recoveries and retries of earlier postings; each
 * drives the real ledger service on a real database through the real pure rules, and after every
 * command every balance of the sequence must equal a simple in-memory model
 * (tests/support/money-model.ts). The model also predicts each posting's outcome: posted, replayed
 * with the original id, refused as an idempotency conflict, or refused because a budget line would
 * go below zero. At the end of each sequence every transaction it made is balanced and is exactly
 * the one the model posted (so no instalment was paid twice), and balances as of a random date equal
 * a replay of the model's postings; at the end every transaction in the database is balanced and
 * the council's books sum to zero.
 *
 * Speed: each engine's sequences are shared between two worker threads (two cores), each with its
 * own databases (a new one every 1,000 sequences); every sequence has its own person, accounts and
 * keys. The summary line (a test
 * diagnostic) gives the sequences, commands and time. MONEY_MODEL_SEQUENCES overrides the number
 * of sequences, and MONEY_MODEL_SEED gives every property run a failure's seed, for local
 * experiments only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../support/databases.ts';
import { runMoneyModelInWorker } from '../support/money-model.ts';

const SEQUENCES = Number(process.env.MONEY_MODEL_SEQUENCES ?? 10_000);
const WORKERS = 2;
const MAX_COMMANDS = 5;

for (const engine of await testEngines()) {
  describe(`the money as a model (${engine})`, () => {
    it('across 10,000 random sequences of approvals, amendments, runs, spending, recoveries and retries, every balance matches the model and no instalment is paid twice', async (t) => {
      const started = performance.now();
      const summaries = await Promise.all(
        Array.from({ length: WORKERS }, (_, i) =>
          runMoneyModelInWorker({
            engine,
            sequences: Math.floor(SEQUENCES / WORKERS) + (i < SEQUENCES % WORKERS ? 1 : 0),
            // PGlite has one connection; on PostgreSQL a worker runs four sequences at once.
            together: engine === 'postgres' ? 4 : 1,
            maxCommands: MAX_COMMANDS,
          }),
        ),
      );
      const stats = new Map<string, number>();
      for (const summary of summaries) for (const [what, n] of summary.stats) stats.set(what, (stats.get(what) ?? 0) + n);
      const sequences = summaries.reduce((s, x) => s + x.sequences, 0);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const cpu = summaries.map((s) => `${s.cpuSeconds.toFixed(0)}s`).join(' + ');
      const counts = [...stats].sort(([a], [b]) => (a < b ? -1 : 1)).map(([what, n]) => `${what} ${n}`).join(', ');
      t.diagnostic(`money model (${engine}): ${sequences} sequences, ${stats.get('commands') ?? 0} commands in ${seconds}s (${WORKERS} workers, process CPU ${cpu}) — ${counts}`);

      assert.ok(sequences >= SEQUENCES, `ran ${sequences} sequences`);
      for (const summary of summaries) {
        assert.equal(summary.unbalancedTransactions, 0, 'every transaction has two or more entries summing to zero');
        assert.ok(summary.councils.length > 0);
        for (const council of summary.councils) assert.equal(council.total, 0n, 'the council’s books sum to zero');
        assert.ok(summary.councils.reduce((s, c) => s + c.entries, 0) > summary.sequences, 'the sequences posted');
      }
      // Every path was taken, so the property proved something about each.
      for (const what of ['approvals', 'amendments', 'runs', 'raced runs', 'crashed runs', 'reruns', 'posted payment', 'posted spend', 'posted refund', 'posted recovery', 'replayed', 'idempotency_conflict', 'insufficient_funds',
        'close-outs', 'releases to the pot', 'first payments netted', 'replacements from before the old budget', 'budgets after the old one']) {
        assert.ok((stats.get(what) ?? 0) > 0, `no sequence exercised "${what}"`);
      }
    });
  });
}
