/**
 * Seeded fuzzing of the browser's live engine (app/realtime/live-client.ts)
 * against a model of the server (tests/support/live-sim.ts), in the manner of
 * tldraw sync-core's fuzz tests. Each seed plays a random session: the
 * participant under test votes, rates, posts, edits, deletes and adds or
 * removes sources; others post, vote, rate, lock and reword propositions;
 * the network handles requests in any order, delivers broadcasts in any order
 * and twice, loses messages (the connection then breaks), disconnects and
 * reconnects; the page is sometimes reloaded (a new client on the same stored
 * outbox). Then the network heals and time passes until everything settles.
 *
 * Every seed must end with:
 * - [P3] the client's debate state equal to the server's (sequence, propositions
 *   with their tallies, arguments, our own votes and ratings), nothing pending;
 * - [P4] tallies at the server's versions;
 * - no operation lost: the outbox empty, every operation answered exactly once
 *   (those made before a reload: no longer queued);
 * - no operation applied twice (the server counts applications per opId).
 *
 * FUZZ_SEEDS=n runs n seeds (default 10,000); FUZZ_SEED=s replays only seed s.
 * A failing seed is printed with the command that replays it.
 */
import { describe, expect, it } from "vitest";
import { playSeed } from "../support/live-fuzz";

const SEEDS = Number(process.env.FUZZ_SEEDS ?? 10_000);
const ONLY = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

describe("live client under seeded faults", () => {
  it(`[P3][P4] converges to the server's state with nothing lost or applied twice (${ONLY !== undefined ? `seed ${ONLY}` : `${SEEDS} seeds`})`, async () => {
    const seeds = ONLY !== undefined ? [ONLY] : Array.from({ length: SEEDS }, (_, i) => i + 1);
    for (const seed of seeds) {
      const outcome = await playSeed(seed);
      if (outcome.problems.length) {
        const replay = `Seed ${seed} failed (${outcome.problems.join("; ")}). Replay it with: FUZZ_SEED=${seed} npx vitest run tests/unit/live-client-fuzz.test.ts`;
        console.log(replay);
        expect(outcome.actual, replay).toEqual(outcome.expected);
        expect.fail(replay);
      }
    }
  });
});
