/**
 * `npx tsx bench/tools/ws-deflate.ts`: would socket.io's WebSocket per-message deflate pay for Steelman's
 * live events? (issue 21, docs/decisions/0090-compression.md). Builds the events a debate sends (socket.io
 * frames `42["event",payload]`, ids are random UUIDs as in the database) and prints, per kind: bytes as
 * sent today, bytes when each message is deflated alone (`ws` with no context takeover), bytes with
 * context takeover (a deflate stream per socket kept across messages, ws's default), CPU per message,
 * and the zlib memory a connection holds with context takeover (zlib's documented formula:
 * deflate (1 << (windowBits + 2)) + (1 << (memLevel + 9)), inflate 1 << windowBits plus ~7 KB).
 * ws compresses only messages of at least `threshold` bytes (1,024 by default): smaller ones go as they are.
 */
import { randomUUID } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { argumentFixture } from "../../tests/support/dto-fixtures";

const WS_THRESHOLD = 1024;
const frame = (event: string, payload: unknown) => Buffer.from(`42${JSON.stringify([event, payload])}`);
const sentence = (i: number) => `Point ${i}: the article's claim about compute budgets ignores that smaller labs share open weights, so the race framing overstates how few actors matter.`;

function argumentEvent(i: number) {
  const id = randomUUID();
  const text = `${sentence(i)} ${sentence(i + 1)}`;
  const data = argumentFixture(id, { propositionId: randomUUID(), bodyText: text, body: plainTextToArgumentBody(text), author: { id: randomUUID(), displayName: `Student ${i}`, role: "debater" }, sources: [{ id: randomUUID(), url: `https://example.org/report-${i}`, title: `Report ${i}`, quote: null } as never] });
  return frame("debate:change", { seq: 100 + i, kind: "argument.created", data });
}
const voteEvent = (i: number) => frame("vote:tallied", { propositionId: randomUUID(), tally: { agree: 10 + i, disagree: 7, unsure: 3, total: 20 + i }, version: 40 + i, participantId: null, value: null });
const presenceEvent = (n: number) => frame("presence:updated", { debateId: randomUUID(), participants: Array.from({ length: n }, (_, i) => ({ id: randomUUID(), displayName: `Student ${i}`, role: "debater" })) });

const kinds: [string, (i: number) => Buffer][] = [
  ["argument.created (debate:change)", argumentEvent],
  ["vote:tallied", voteEvent],
  ["presence:updated, 30 people", () => presenceEvent(30)],
];

/** Bytes with one deflate stream kept across the messages: approximated by deflating them back to back (an upper bound on what sync-flushed messages save, each flush adding ~5 bytes). */
function contextTakeover(frames: Buffer[]): number {
  return deflateRawSync(Buffer.concat(frames)).length + 5 * frames.length;
}

function main() {
  console.log(`ws per-message deflate on Steelman's live events (threshold ${WS_THRESHOLD} bytes), ${new Date().toISOString()}`);
  for (const [name, make] of kinds) {
    const frames = Array.from({ length: 100 }, (_, i) => make(i));
    const raw = frames.reduce((t, f) => t + f.length, 0);
    const started = process.cpuUsage();
    const alone = frames.reduce((t, f) => t + (f.length >= WS_THRESHOLD ? deflateRawSync(f).length - 4 + 1 : f.length), 0);
    const cpu = process.cpuUsage(started);
    const kept = contextTakeover(frames);
    console.log(
      `${name.padEnd(36)} ${String(Math.round(raw / 100)).padStart(5)} B/msg as sent   ${String(Math.round(alone / 100)).padStart(5)} B/msg deflated alone (${((1 - alone / raw) * 100).toFixed(0)} % saved)   ~${String(Math.round(kept / 100)).padStart(5)} B/msg with context takeover   ${((cpu.user + cpu.system) / 100).toFixed(0)} µs CPU/msg`,
    );
  }
  const windowBits = 15;
  const memLevel = 8;
  const deflateBytes = (1 << (windowBits + 2)) + (1 << (memLevel + 9));
  const inflateBytes = (1 << windowBits) + 7 * 1024;
  console.log(`zlib memory per connection with context takeover (windowBits ${windowBits}, memLevel ${memLevel}): ~${Math.round(deflateBytes / 1024)} KiB deflate + ~${Math.round(inflateBytes / 1024)} KiB inflate on the server`);
}

main();
