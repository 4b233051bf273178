/**
 * [R1] A rolling restart loses no acknowledged write (issue 9, "Graceful
 * shutdown and restarts"; server/drain.ts). Two server processes behind one
 * balancer; six clients post without pause, resending anything unanswered or
 * refused as `busy` with the same opId, as the live client's outbox does.
 * Each process in turn gets SIGTERM and is started again. Checked: each
 * process exits by itself with code 0 within its 10 s bound having logged no
 * error (no write cut off mid-way), every post the
 * clients sent is acknowledged in the end, and each is stored exactly once.
 */
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Ack } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { ErrorCode } from "../../app/shared/errors";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { createPrismaClient } from "../../server/db";
import { publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { startBalancer, type Balancer } from "../support/balancer";
import { startServerProcess, type ServerProcess } from "../support/server-process";

const processes: ServerProcess[] = [];
const clients: Socket[] = [];
let balancer: Balancer | undefined;
afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  await balancer?.close();
  await Promise.all(processes.map((p) => p.kill("SIGKILL")));
});

/** SIGTERM, then the time until the process exited by itself, and its exit code. */
async function terminate(node: ServerProcess): Promise<{ ms: number; code: number | null; signal: string | null }> {
  const started = Date.now();
  const exited = new Promise<void>((resolve) => node.child.once("exit", () => resolve()));
  node.child.kill("SIGTERM");
  await exited;
  return { ms: Date.now() - started, code: node.child.exitCode, signal: node.child.signalCode };
}

describe("[R1] rolling restart behind a balancer", () => {
  it("loses no acknowledged write and applies none twice", async () => {
    const databaseUrl = inject("databaseUrl");
    let [a, b] = await Promise.all([startServerProcess({ databaseUrl }), startServerProcess({ databaseUrl })]);
    processes.push(a, b);
    balancer = await startBalancer([a.port, b.port]);
    const { debate, participants } = await publishedDebateWith(a.url, seedArticle, ["P1", "P2", "P3", "P4", "P5", "P6"]);
    const propositionId = debate.propositions[0]!.id;

    let restarting = true;
    const sent: string[] = [];
    const acknowledged = new Set<string>();
    const otherAnswers: string[] = [];
    const deadline = Date.now() + 150_000;
    const postUntilRestartsEnd = async (token: string, name: string) => {
      const socket = io(balancer!.url, { auth: { debateId: debate.id, token }, transports: ["websocket"], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500 });
      clients.push(socket);
      for (let i = 0; (restarting || i < 3) && Date.now() < deadline; i++) {
        const text = `${name} post ${i}`;
        const payload = { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody(text) };
        sent.push(text);
        while (Date.now() < deadline) {
          let answer: Ack<unknown> | undefined;
          try {
            answer = (await socket.timeout(3_000).emitWithAck(ClientEvent.postArgument, payload)) as Ack<unknown>;
          } catch {
            answer = undefined; // no answer (disconnected or timed out): resend
          }
          if (answer?.ok) {
            acknowledged.add(text);
            break;
          }
          if (answer && answer.error.code !== ErrorCode.busy) {
            otherAnswers.push(`${text}: ${answer.error.code} ${answer.error.message}`);
            break;
          }
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
        }
      }
    };
    const posting = Promise.all(participants.map((p) => postUntilRestartsEnd(p.token, p.name)));

    await new Promise((r) => setTimeout(r, 1_000));
    const stopA = await terminate(a);
    a = await startServerProcess({ databaseUrl, port: a.port });
    processes.push(a);
    await new Promise((r) => setTimeout(r, 1_000));
    const stopB = await terminate(b);
    b = await startServerProcess({ databaseUrl, port: b.port });
    processes.push(b);
    await new Promise((r) => setTimeout(r, 1_000));
    restarting = false;
    await posting;

    // Stopped cleanly: nothing was cut off mid-write (the drain let it finish), so nothing was logged as failed.
    for (const stopped of processes.slice(0, 2)) expect(stopped.output()).toBe("");
    for (const stop of [stopA, stopB]) {
      expect(stop.code).toBe(0);
      expect(stop.signal).toBeNull();
      expect(stop.ms).toBeLessThan(10_000);
    }
    expect(otherAnswers).toEqual([]);
    expect(sent.length).toBeGreaterThanOrEqual(6 * 3);
    expect([...acknowledged].sort()).toEqual([...sent].sort());
    const db = createPrismaClient(databaseUrl);
    try {
      const stored = await db.argument.findMany({ where: { propositionId }, select: { bodyText: true } });
      const counts = new Map<string, number>();
      for (const s of stored) counts.set(s.bodyText, (counts.get(s.bodyText) ?? 0) + 1);
      expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect([...counts.keys()].sort()).toEqual([...sent].sort());
    } finally {
      await db.$disconnect();
    }
    console.log(`[R1] ${sent.length} posts sent, ${acknowledged.size} acknowledged, stored once each; SIGTERM to exit: ${stopA.ms} ms and ${stopB.ms} ms`);
  }, 240_000);
});
