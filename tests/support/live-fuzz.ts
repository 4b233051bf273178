/**
 * One seeded session of the live engine against the server model
 * (./live-sim.ts), for tests/unit/live-client-fuzz.test.ts (which explains
 * the rules checked) and for profiling outside vitest.
 */
import { isDeepStrictEqual } from "node:util";
import { DebateLiveClient, GAP_REPAIR_MS } from "../../app/realtime/live-client";
import type { LiveState } from "../../app/realtime/live-state";
import type { OutboxStorage } from "../../app/realtime/outbox";
import type { Ack } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { rng, type Rng, SimNetwork, type SimParticipant, SimServer, VirtualClock } from "./live-sim";

/** Random steps per session before the network heals. */
const STEPS = 60;

class MemoryStorage implements OutboxStorage {
  private items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

/** The parts of the client's state that must equal the server's once everything settled. */
function comparable(state: LiveState) {
  return {
    lastSeq: state.lastSeq,
    pending: state.pending,
    propositions: state.propositions,
    arguments: state.arguments,
    myVotes: state.myVotes,
    myRatings: state.myRatings,
  };
}

function expected(server: SimServer, me: SimParticipant) {
  const debate = server.snapshot();
  const mine = server.mine(me.id);
  return {
    lastSeq: debate.seq,
    pending: {},
    propositions: debate.propositions,
    arguments: Object.fromEntries(debate.arguments.map((a) => [a.id, a])),
    myVotes: mine.votes,
    myRatings: mine.ratings,
  };
}

/** What a session ended with: the client's state and the server's, and every broken rule (empty when none). */
export interface SeedOutcome {
  actual: ReturnType<typeof comparable>;
  expected: ReturnType<typeof expected>;
  problems: string[];
  /** The server's changes, one line each (for reading a failing seed). */
  log: string[];
}

/** Plays one random session for `seed` (deterministic) and reports how it ended. */
export async function playSeed(seed: number): Promise<SeedOutcome> {
  const r: Rng = rng(seed);
  const clock = new VirtualClock();
  const server = new SimServer(r, { catchUpMax: 6, rateLimitedChance: 0.05 });
  const net = new SimNetwork(server, r);
  const me: SimParticipant = { id: r.uuid(), displayName: "Me", role: "debater" };
  const ada: SimParticipant = { id: r.uuid(), displayName: "Ada", role: "debater" };
  const host: SimParticipant = { id: r.uuid(), displayName: "Host", role: "host" };
  for (const p of [me, ada, host]) server.join(p);
  const storage = new MemoryStorage();

  /** opId → how many times its promise resolved; opIds made by clients that were since reloaded. */
  const answers = new Map<string, number>();
  /** Every operation made, in the order it was made, and its final answer's error code (when it had one). */
  const made: { opId: string; name: string; key: string | null; value?: unknown }[] = [];
  const refusedWith = new Map<string, string>();
  const orphaned = new Set<string>();
  let lastOpId = "";
  const makeClient = () =>
    new DebateLiveClient(
      { debate: server.snapshot(), me: { id: me.id, displayName: me.displayName, role: me.role, debateId: server.debateId, muted: false }, mine: server.mine(me.id) },
      { socket: net.socketFor(me, clock), clock, storage, newOpId: () => (lastOpId = r.uuid()), isOffline: () => false, random: r.next },
    );
  let client = makeClient();
  client.start();
  const submit = (name: string, key: string | null, value: unknown, run: () => Promise<Ack<unknown>>) => {
    const answer = run();
    const opId = lastOpId;
    answers.set(opId, 0);
    made.push({ opId, name, key, value });
    void answer.then((reply) => {
      answers.set(opId, (answers.get(opId) ?? 0) + 1);
      if (!reply.ok) refusedWith.set(opId, reply.error.code);
    });
  };

  const body = (text: string) => plainTextToArgumentBody(text);
  const myArguments = () => Object.values(client.getSnapshot().state.arguments).filter((a) => a.author.id === me.id && !a.deleted);
  const propositionIds = () => client.getSnapshot().state.propositions.map((p) => p.id);

  /** What the participant under test does (from what their page shows). */
  const myMove = () => {
    const state = client.getSnapshot().state;
    const args = Object.values(state.arguments);
    switch (r.int(8)) {
      case 0:
      case 1: {
        const propositionId = r.pick(propositionIds())!;
        const value = r.pick(["agree", "disagree", "unsure", null] as const)!;
        return submit("castVote", propositionId, value, () => client.actions.castVote({ propositionId, value }));
      }
      case 2: {
        const target = r.pick(args.filter((a) => !a.deleted));
        const value = r.pick(["up", "down", null] as const)!;
        if (target) submit("rateArgument", target.id, value, () => client.actions.rateArgument({ argumentId: target.id, value }));
        return;
      }
      case 3: {
        const propositionId = r.pick(propositionIds())!;
        const parent = r.chance(0.4) ? r.pick(args.filter((a) => a.propositionId === propositionId && !a.deleted)) : undefined;
        const sources = r.chance(0.3) ? [{ url: "https://example.org/a", title: "A source" }] : [];
        return submit("postArgument", null, null, () => client.actions.postArgument({ propositionId, parentId: parent?.id ?? null, stance: r.chance(0.5) ? "pro" : "con", body: body(`Mine ${r.int(1000)}`), sources }));
      }
      case 4: {
        const own = r.pick(myArguments());
        if (own) submit("editArgument", own.id, null, () => client.actions.editArgument({ argumentId: own.id, body: body(`Edited ${r.int(1000)}`) }));
        return;
      }
      case 5: {
        const own = r.pick(myArguments());
        if (own && r.chance(0.3)) submit("deleteArgument", own.id, null, () => client.actions.deleteArgument({ argumentId: own.id }));
        return;
      }
      case 6: {
        const own = r.pick(myArguments());
        if (own) submit("addSource", own.id, null, () => client.actions.addSource({ argumentId: own.id, url: `https://example.org/${r.int(100)}`, title: "Evidence" }));
        return;
      }
      case 7: {
        const own = r.pick(myArguments().filter((a) => a.sources.length));
        if (own) submit("removeSource", own.id, null, () => client.actions.removeSource({ argumentId: own.id, sourceId: r.pick(own.sources)!.id }));
        return;
      }
    }
  };

  /** What others do, straight on the server. */
  const theirMove = () => {
    const props = server.propositions;
    const args = [...server.arguments.values()].filter((a) => !a.deleted);
    switch (r.int(6)) {
      case 0:
        server.act(ada, "postArgument", { propositionId: r.pick(props)!.id, stance: "con", body: body(`Ada ${r.int(1000)}`), sources: [] });
        return;
      case 1: {
        const own = r.pick(args.filter((a) => a.authorId === ada.id));
        if (own) server.act(ada, "editArgument", { argumentId: own.id, body: body(`Ada edited ${r.int(1000)}`) });
        return;
      }
      case 2:
        server.act(ada, "castVote", { propositionId: r.pick(props)!.id, value: r.pick(["agree", "disagree", "unsure", null] as const) });
        return;
      case 3: {
        const target = r.pick(args);
        if (target) server.act(ada, "rateArgument", { argumentId: target.id, value: r.pick(["up", "down", null] as const) });
        return;
      }
      case 4: {
        const p = r.pick(props)!;
        server.act(host, "lockProposition", { propositionId: p.id, locked: !p.locked });
        return;
      }
      case 5:
        server.act(host, "editProposition", { propositionId: r.pick(props)!.id, text: `Reworded ${r.int(1000)}.` });
        return;
    }
  };

  const socketsOf = () => net.allSockets.filter((s) => s.wantsConnection);
  for (let step = 0; step < STEPS; step++) {
    const roll = r.int(100);
    if (roll < 18) myMove();
    else if (roll < 30) theirMove();
    else if (roll < 45) net.handleOne();
    else if (roll < 58) net.deliverDirect();
    else if (roll < 70) net.deliverBroadcast(r.chance(0.15));
    else if (roll < 74) net.duplicateRequest();
    else if (roll < 78) net.dropOne();
    else if (roll < 82) net.breakDoomed();
    else if (roll < 85) r.pick(socketsOf())?.drop("transport close");
    else if (roll < 90) for (const s of socketsOf()) if (!s.connected && r.chance(0.5)) s.connect();
    else if (roll < 98) clock.advance(r.int(3_000));
    else {
      // A reload: the page's client goes; a new one starts from a fresh page load and the stored outbox.
      for (const [opId, n] of answers) if (n === 0) orphaned.add(opId);
      client.stop();
      client = makeClient();
      client.start();
    }
    if (step % 8 === 0) await Promise.resolve();
  }

  // Heal: lost messages break their connections, every socket reconnects, everything is delivered, time passes.
  // The host rewords a proposition once more, so that a change lost without a broken connection shows as a gap.
  net.breakDoomed();
  const last = server.act(host, "editProposition", { propositionId: server.propositions[0]!.id, text: "The last word." });
  if (!last.ok) throw new Error(`The closing change was refused: ${last.error.message}`);
  for (let round = 0; round < 200; round++) {
    for (const s of socketsOf()) if (!s.connected) s.connect();
    while (net.handleOne() || net.deliverDirect() || net.deliverBroadcast()) {
      /* drain */
    }
    await Promise.resolve();
    const snap = client.getSnapshot();
    if (net.idle && snap.unconfirmed.length === 0 && Object.keys(snap.state.pending).length === 0) break;
    clock.advance(GAP_REPAIR_MS);
  }
  await new Promise((resolve) => setImmediate(resolve));

  const snap = client.getSnapshot();
  const problems: string[] = [];
  if (snap.unconfirmed.length) problems.push(`${snap.unconfirmed.length} operations still queued after the network healed`);
  const actual = comparable(snap.state);
  const want = expected(server, me);
  if (!isDeepStrictEqual(actual, want)) problems.push("the client's state differs from the server's");
  for (const [opId, n] of server.applied) if (n !== 1) problems.push(`operation ${opId} applied ${n} times`);
  const mineMade = new Set(made.map((m) => m.opId));
  for (const [opId, actor] of server.appliedBy) if (actor === me.id && !mineMade.has(opId)) problems.push(`the server applied an operation id ${opId} the client never made (a resend under a new id)`);
  for (const [opId, code] of refusedWith) if (code === "rate_limited" || code === "busy") problems.push(`operation ${opId} was given up after a ${code} answer`);
  // Operations on one item apply in the order they were made: our last accepted vote or rating on an item is what the server has.
  const lastAccepted = new Map<string, unknown>();
  for (const m of made) if ((m.name === "castVote" || m.name === "rateArgument") && server.operations.has(m.opId)) lastAccepted.set(`${m.name}:${m.key}`, m.value);
  const mine = server.mine(me.id);
  for (const [item, value] of lastAccepted) {
    const [name, key] = item.split(":") as [string, string];
    const now = (name === "castVote" ? mine.votes[key] : mine.ratings[key]) ?? null;
    if (now !== value) problems.push(`${item}: the last accepted choice was ${String(value)} but the server has ${String(now)} (operations on one item applied out of order)`);
  }
  for (const [opId, n] of answers) {
    if (orphaned.has(opId) && n === 0) continue;
    if (n !== 1) problems.push(`operation ${opId} answered ${n} times`);
  }
  client.stop();
  return { actual, expected: want, problems, log: server.changes.map((c) => `${c.seq} ${c.kind} ${"bodyText" in c.data ? c.data.bodyText : ""}`) };
}

