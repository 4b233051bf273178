/**
 * The `polis` export (issue 15): a zip (fflate, streamed) of the four CSV
 * files of a Polis conversation export, in Polis's own layout (compare
 * ../shared/fixtures/polis/), so Polis-based analysis tools run on it:
 *
 * - comments.csv: `timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,comment-body`
 *   (Polis's 2024 layout): one row per proposition, comment-id = its 0-based
 *   order, author-id = the host's participant number (propositions are the
 *   facilitators'), moderated 1 (shown) or −1 (hidden, facilitators only).
 * - votes.csv: `timestamp,datetime,comment-id,voter-id,vote`, vote 1 agree,
 *   −1 disagree, 0 unsure (Polis "pass"), the time of the current vote.
 * - participants-votes.csv: `participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,<comment ids…>`:
 *   one row per participant who voted, group-id from the opinion groups
 *   where they were computed (empty otherwise).
 * - summary.csv: key,value rows `topic,url,views,voters,voters-in-conv,commenters,comments,groups,conversation-description`.
 *
 * Participant ids are the pseudonymous numbers n of `p<n>` (join order).
 * Arguments, sources and ratings have no place in Polis's layout and are
 * not written. Text cells a spreadsheet would run as a formula are
 * neutralised with a leading apostrophe (numeric cells are never touched).
 */
import { stringify } from "csv-stringify/sync";
import { Zip, ZipDeflate } from "fflate";
import type { DebateExportSource } from "./types";

/** Prefixes an apostrophe to text a spreadsheet would run as a formula (OWASP "CSV Injection"; also the full-width forms). */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(text) ? `'${text}` : text;
}

const csv = (rows: (string | number)[][]) => stringify(rows.map((r) => r.map(String)), { record_delimiter: "unix" });

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** Polis's `datetime` column ("Wed Apr 27 00:51:33 PDT 2022"), here in UTC. */
export function polisDatetime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const VOTE_NUMBER = { agree: 1, disagree: -1, unsure: 0 } as const;

/** The four CSV files as named streams of text pieces; `siteUrl` is the debate's address (summary.csv `url`). */
export function polisFiles(src: DebateExportSource, siteUrl: string): { name: string; content: () => AsyncIterable<string> }[] {
  const commentId = new Map(src.propositions.map((p) => [p.id, p.index]));
  const voters = new Set<string>();
  let hostNumber = 0;
  let groupedVoters = 0;

  async function* comments() {
    for await (const page of src.participants()) {
      const host = page.find((p) => p.role === "host");
      if (host) {
        hostNumber = host.number;
        break;
      }
    }
    const consensus = new Map(src.groups?.consensus.map((c) => [c.propositionId, c.groupInformedConsensus]) ?? []);
    yield csv([["timestamp", "comment-id", "author-id", "agrees", "disagrees", "moderated", "is-meta", "is-seed", "group-informed-consensus", "comment-body"]]);
    yield csv(src.propositions.map((p) => [
      Date.parse(p.createdAt),
      p.index,
      hostNumber,
      p.tally.agree,
      p.tally.disagree,
      p.hidden ? -1 : 1,
      String(p.meta),
      "true",
      consensus.get(p.id) ?? "",
      neutraliseFormula(p.text),
    ]));
  }

  async function* votes() {
    yield csv([["timestamp", "datetime", "comment-id", "voter-id", "vote"]]);
    for await (const page of src.votes()) {
      const rows: (string | number)[][] = [];
      for (const v of page) {
        const c = commentId.get(v.propositionId);
        if (c === undefined) continue;
        voters.add(v.participant);
        const at = new Date(v.at);
        rows.push([at.getTime(), polisDatetime(at), c, v.participant.slice(1), VOTE_NUMBER[v.value]]);
      }
      if (rows.length) yield csv(rows);
    }
  }

  async function* participantsVotes() {
    const n = src.propositions.length;
    yield csv([["participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", ...src.propositions.map((p) => String(p.index))]]);
    for await (const page of src.participants()) {
      const byParticipant = new Map<string, (string | number)[]>();
      for (const v of await src.votesOf(page.map((p) => p.id))) {
        const c = commentId.get(v.propositionId);
        if (c === undefined) continue;
        let cells = byParticipant.get(v.participant);
        if (!cells) byParticipant.set(v.participant, (cells = new Array<string | number>(n).fill("")));
        cells[c] = VOTE_NUMBER[v.value];
      }
      const rows: (string | number)[][] = [];
      for (const p of page) {
        const cells = byParticipant.get(p.id);
        if (!cells) continue;
        const agree = cells.filter((c) => c === 1).length;
        const disagree = cells.filter((c) => c === -1).length;
        const voted = cells.filter((c) => c !== "").length;
        if (p.groupId !== null) groupedVoters += 1;
        rows.push([p.number, "", p.groupId ?? "", p.number === hostNumber ? n : 0, voted, agree, disagree, ...cells]);
      }
      if (rows.length) yield csv(rows);
    }
  }

  async function* summary() {
    const d = src.debate;
    yield csv([
      ["topic", neutraliseFormula(d.title)],
      ["url", siteUrl],
      ["views", src.participantCount],
      ["voters", voters.size],
      ["voters-in-conv", src.groups ? groupedVoters : voters.size],
      ["commenters", src.propositions.length ? 1 : 0],
      ["comments", src.propositions.length],
      ["groups", src.groups?.groups.length ?? 0],
      ["conversation-description", neutraliseFormula(d.sourceText.slice(d.thesis.start, d.thesis.end).trim())],
    ]);
  }

  return [
    { name: "comments.csv", content: comments },
    { name: "votes.csv", content: votes },
    { name: "participants-votes.csv", content: participantsVotes },
    { name: "summary.csv", content: summary },
  ];
}

/** Zips named text streams one after another, yielding the zip's bytes as they are compressed. */
export async function* zipStream(files: { name: string; content: () => AsyncIterable<string> }[], mtime = new Date()): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else ready.push(data);
  });
  const encoder = new TextEncoder();
  function* drain() {
    if (failure) throw failure;
    while (ready.length) yield ready.shift()!;
  }
  for (const file of files) {
    const entry = new ZipDeflate(file.name, { level: 6 });
    entry.mtime = mtime;
    zip.add(entry);
    for await (const piece of file.content()) {
      entry.push(encoder.encode(piece));
      yield* drain();
    }
    entry.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}

/** The Polis export as zip bytes. */
export function writePolisZip(src: DebateExportSource, siteUrl: string): AsyncGenerator<Uint8Array> {
  return zipStream(polisFiles(src, siteUrl), new Date(src.generatedAt));
}
