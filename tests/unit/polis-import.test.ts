/**
 * The Polis export parser: both export layouts, latest vote wins, hidden and
 * meta comments, either votes file, and errors that name file, line and column.
 */
import { describe, expect, it } from "vitest";
import { parsePolisExport, PolisImportError, polisOpinionInput, POLIS_VOTE_VALUE, type PolisConversation, type PolisExportFiles } from "../../server/domain/polis-import/parse";
import { polisImportRequestSchema } from "../../server/domain/polis-import/request";

// 2022 layout (datetime, no is-meta); comment 2 is hidden and its body spans two lines.
const comments2022 = [
  "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body",
  "1651071094558,Wed Apr 27 07:51:34 PDT 2022,0,0,2,1,1,Bikes everywhere",
  '1651071094559,Wed Apr 27 07:51:35 PDT 2022,1,3,1,1,0,"More trains, fewer planes"',
  '1651071094560,Wed Apr 27 07:51:36 PDT 2022,2,3,0,2,-1,"Ban everything',
  'at once"',
].join("\n");
// 2024 layout (is-meta, is-seed, group-informed-consensus; no datetime).
const comments2024 = [
  "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,comment-body",
  "1726860676783,0,0,3,0,1,false,true,0.68,I hope it keeps its hospitality",
  "1726860676790,5,0,3,0,1,true,false,0.5,I am a teacher",
].join("\n");
const votes = [
  "timestamp,datetime,comment-id,voter-id,vote",
  "1000,x,0,1,-1",
  "1001,x,0,2,1",
  "1002,x,1,1,1",
  "1003,x,0,1,1", // participant 1 changes their mind on comment 0
  "1004,x,2,2,0",
].join("\n");
const participantsVotes = [
  "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2",
  "1,ext-1,0,0,2,2,0,1,1,",
  "2,,1,0,2,1,0,1,,0",
].join("\n");

const expectError = (files: PolisExportFiles, where: { file: string; line: number | null; column: number | null; columnName?: string | null }, message: RegExp) => {
  let error: unknown;
  try {
    parsePolisExport(files);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PolisImportError);
  const e = error as PolisImportError;
  expect({ file: e.file, line: e.line, column: e.column, ...(where.columnName !== undefined ? { columnName: e.columnName } : {}) }).toEqual(where);
  expect(e.message).toMatch(message);
};

const votesOf = (c: PolisConversation) =>
  Array.from({ length: c.votes.count }, (_, i) => [c.votes.participantId[i], c.votes.commentId[i], POLIS_VOTE_VALUE[c.votes.value[i] as 1 | -1 | 0]]);

describe("reading a Polis export", () => {
  it("reads comments (hidden when moderated −1), the latest vote per voter and comment, and participants", () => {
    const c = parsePolisExport({ "comments.csv": comments2022, "votes.csv": votes });
    expect(c.comments.map((x) => [x.commentId, x.hidden, x.meta, x.text])).toEqual([
      [0, false, false, "Bikes everywhere"],
      [1, false, false, "More trains, fewer planes"],
      [2, true, false, "Ban everything\nat once"],
    ]);
    expect(c.comments[0].createdAt?.toISOString()).toBe(new Date(1651071094558).toISOString());
    expect(votesOf(c)).toEqual([
      [1, 0, "agree"],
      [2, 0, "agree"],
      [1, 1, "agree"],
      [2, 2, "unsure"],
    ]);
    expect(c.votes.at[0]).toBe(1003);
    expect(c.participants.map((p) => [p.participantId, p.xid, p.groupId])).toEqual([
      [1, null, null],
      [2, null, null],
    ]);
    expect(c.votesFrom).toBe("votes.csv");
    expect(c.hasPolisGroups).toBe(false);
    expect(c.warnings.join(" ")).toMatch(/1 earlier vote .* replaced/);
    expect(c.warnings.join(" ")).toMatch(/no is-meta column/);
  });

  it("reads the 2024 layout with its meta flag and Polis's group-informed consensus", () => {
    const c = parsePolisExport({ "comments.csv": comments2024, "participants-votes.csv": "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,5\n7,,,0,1,1,0,1,\n" });
    expect(c.comments.map((x) => [x.commentId, x.meta, x.groupInformedConsensus])).toEqual([
      [0, false, 0.68],
      [5, true, 0.5],
    ]);
    expect(c.warnings).toEqual([]);
  });

  it("takes the votes from participants-votes.csv alone, with xids and Polis's groups", () => {
    const c = parsePolisExport({ "comments.csv": comments2022, "participants-votes.csv": participantsVotes });
    expect(c.votesFrom).toBe("participants-votes.csv");
    expect(votesOf(c)).toEqual([
      [1, 0, "agree"],
      [2, 0, "agree"],
      [1, 1, "agree"],
      [2, 2, "unsure"],
    ]);
    expect(Number.isNaN(c.votes.at[0])).toBe(true);
    expect(c.participants.map((p) => [p.participantId, p.xid, p.groupId])).toEqual([
      [1, "ext-1", 0],
      [2, null, 1],
    ]);
  });

  it("with both votes files uses votes.csv and says when the two disagree", () => {
    const same = parsePolisExport({ "comments.csv": comments2022, "votes.csv": votes, "participants-votes.csv": participantsVotes });
    expect(same.warnings.some((w) => /disagree on/.test(w))).toBe(false);
    expect(same.participants[0].xid).toBe("ext-1");
    const changed = parsePolisExport({ "comments.csv": comments2022, "votes.csv": votes, "participants-votes.csv": participantsVotes.replace("2,,1,0,2,1,0,1,,0", "2,,1,0,2,1,0,-1,,0") });
    expect(changed.warnings.some((w) => /disagree on 1 vote;/.test(w))).toBe(true);
  });

  it("becomes opinion-group input with hidden and meta comments excluded", () => {
    const c = parsePolisExport({ "comments.csv": comments2022, "votes.csv": votes });
    const input = polisOpinionInput(c, new Set([1]));
    expect(input.participantIds).toEqual(["1", "2"]);
    expect(input.propositionIds).toEqual(["0", "1", "2"]);
    expect([...input.excluded]).toEqual([0, 1, 1]);
    expect([...input.voteValue]).toEqual([1, 1, 1, 0]);
  });
});

describe("a malformed export is refused with the file, line and column", () => {
  it("names a bad vote value", () => {
    expectError({ "comments.csv": comments2022, "votes.csv": votes.replace("1002,x,1,1,1", "1002,x,1,1,yes") }, { file: "votes.csv", line: 4, column: 5, columnName: "vote" }, /votes\.csv, line 4, column 5 \(vote\): The vote must be 1 \(agree\), -1 \(disagree\) or 0 \(pass\) \(found "yes"\)/);
  });

  it("counts lines inside quoted multi-line fields", () => {
    const bad = `${comments2022}\n1651071094561,x,3,0,0,0,7,After a multi-line body`;
    expectError({ "comments.csv": bad, "votes.csv": votes }, { file: "comments.csv", line: 6, column: 7, columnName: "moderated" }, /moderation state must be 1 \(shown\), 0 \(unmoderated\) or -1 \(hidden\)/);
  });

  it("names a vote on a comment that is not in comments.csv", () => {
    expectError({ "comments.csv": comments2022, "votes.csv": `${votes}\n1005,x,9,1,1` }, { file: "votes.csv", line: 7, column: 3, columnName: "comment-id" }, /comment 9 is not in comments\.csv/);
  });

  it("names a comment id that is not a number, and a repeated one", () => {
    expectError({ "comments.csv": comments2022.replace(",0,0,2,1,1,Bikes", ",zero,0,2,1,1,Bikes"), "votes.csv": votes }, { file: "comments.csv", line: 2, column: 3, columnName: "comment-id" }, /comment id must be a whole number/);
    expectError({ "comments.csv": comments2022.replace(",1,3,1,1,0,", ",0,3,1,1,0,"), "votes.csv": votes }, { file: "comments.csv", line: 3, column: 3, columnName: "comment-id" }, /comment 0 appears twice/);
  });

  it("names a missing header column", () => {
    expectError({ "comments.csv": comments2022.replace("moderated,", "status,"), "votes.csv": votes }, { file: "comments.csv", line: 1, column: null }, /has no "moderated" column/);
  });

  it("names a bad cell of participants-votes.csv and an unknown comment column", () => {
    expectError({ "comments.csv": comments2022, "participants-votes.csv": participantsVotes.replace("2,,1,0,2,1,0,1,,0", "2,,1,0,2,1,0,1,,2") }, { file: "participants-votes.csv", line: 3, column: 10, columnName: "2" }, /a vote must be 1 \(agree\), -1 \(disagree\), 0 \(pass\) or empty \(found "2"\)/);
    expectError({ "comments.csv": comments2022, "participants-votes.csv": participantsVotes.replace(",0,1,2\n", ",0,1,8\n") }, { file: "participants-votes.csv", line: 1, column: 10, columnName: "8" }, /comment 8 is not in comments\.csv/);
  });

  it("names broken CSV: an unclosed quote, a row with too many fields", () => {
    expectError({ "comments.csv": comments2022, "votes.csv": `${votes}\n1005,"x,0,1,1` }, { file: "votes.csv", line: 7, column: null }, /quoted field is never closed/);
    expectError({ "comments.csv": comments2022, "votes.csv": `${votes}\n1005,x,0,1,1,extra` }, { file: "votes.csv", line: 7, column: null }, /different number of fields/);
  });

  it("needs comments.csv and one votes file", () => {
    expectError({ "votes.csv": votes } as unknown as PolisExportFiles, { file: "comments.csv", line: null, column: null }, /comments\.csv: the file is missing/);
    expectError({ "comments.csv": comments2022 }, { file: "votes.csv", line: null, column: null }, /neither votes\.csv nor participants-votes\.csv/);
    expectError({ "comments.csv": "", "votes.csv": votes }, { file: "comments.csv", line: null, column: null }, /the file is empty/);
  });
});

describe("the import request body", () => {
  it("accepts comments.csv with either votes file, and a title", () => {
    expect(polisImportRequestSchema.safeParse({ format: "polis", files: { "comments.csv": "a", "votes.csv": "b" } }).success).toBe(true);
    expect(polisImportRequestSchema.safeParse({ format: "polis", title: " Climate ", files: { "comments.csv": "a", "participants-votes.csv": "b" } }).data?.title).toBe("Climate");
  });

  it("refuses another format, a missing votes file, an unknown file name, a non-string file", () => {
    const issue = (body: unknown) => polisImportRequestSchema.safeParse(body).error?.issues[0]?.message;
    expect(issue({ format: "csv", files: { "comments.csv": "a", "votes.csv": "b" } })).toMatch(/Only the "polis" format/);
    expect(issue({ format: "polis", files: { "comments.csv": "a" } })).toMatch(/needs "votes.csv" or "participants-votes.csv"/);
    expect(issue({ format: "polis", files: { "comments.csv": "a", "vote.csv": "b" } })).toMatch(/nothing else/);
    expect(issue({ format: "polis", files: { "comments.csv": 3, "votes.csv": "b" } })).toMatch(/"comments.csv" must be the file's text/);
  });
});
