/**
 * The seed debate the export tests read (issue 15): the project's seed
 * article (tests/support/article.ts) published by a facilitator, three
 * debaters, pro and con arguments on the first propositions with rebuttals
 * three deep, sources (one http, one https), votes on every proposition,
 * ratings, one argument hidden by the facilitator (with a reply under it),
 * and arguments whose text is taken from the hostile-payload corpus.
 */
import { randomUUID } from "node:crypto";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { api, publishedDebateWith } from "./api-client";
import { seedArticle } from "./article";
import { payload } from "../fixtures/hostile-payloads";

export interface SeededExportDebate {
  debateId: string;
  hostToken: string;
  title: string;
  participants: { id: string; token: string; name: string }[];
  propositions: { id: string; text: string }[];
  /** Every argument posted: id, parent, stance, text. */
  arguments: { id: string; propositionId: string; parentId: string | null; stance: "pro" | "con"; text: string }[];
  hiddenArgumentId: string;
  /** The reply under the hidden argument (withheld from non-facilitators with it). */
  hiddenReplyId: string;
}

/** Creates the seed debate on a running server. */
export async function seedExportDebate(baseUrl: string): Promise<SeededExportDebate> {
  const names = ["Ada <b>Lovelace</b>", "=Grace Hopper", "Alan"];
  const { debate, participants } = await publishedDebateWith(baseUrl, seedArticle, names);
  const host = debate.hostToken;
  const args: SeededExportDebate["arguments"] = [];
  const post = async (token: string, propositionId: string, parentId: string | null, stance: "pro" | "con", text: string, sources: { url: string; title: string; quote?: string }[] = []) => {
    const res = await api(baseUrl, `/api/debates/${debate.id}/arguments`, { token, body: { opId: randomUUID(), propositionId, parentId, stance, body: plainTextToArgumentBody(text), sources } });
    if (res.status !== 201) throw new Error(`argument failed: ${res.status} ${JSON.stringify(res.json)}`);
    args.push({ id: res.json.id, propositionId, parentId, stance, text });
    return res.json.id as string;
  };
  const [p1, p2, p3] = debate.propositions;
  const [ada, grace, alan] = participants;
  const a1 = await post(ada.token, p1.id, null, "pro", "Races compress safety work into too little time.", [{ url: "https://example.org/report?a=1&b=(2)", title: "A report [2024]", quote: "safety lags" }]);
  const a2 = await post(grace.token, p1.id, null, "con", "Competition also funds safety research.\nSecond line of the argument.", [{ url: "http://example.com/x", title: "=HYPERLINK(\"http://evil.example\")" }]);
  const a3 = await post(alan.token, p1.id, a1, "con", "Time pressure is not the only factor.");
  await post(ada.token, p1.id, a3, "pro", "But it is the one the article is about.");
  await post(grace.token, p1.id, a2, "pro", payload("markdown-link-javascript").text);
  await post(alan.token, p2.id, null, "pro", payload("polyglot-mixed").text);
  await post(ada.token, p2.id, null, "con", payload("csv-equals-hyperlink").text);
  await post(grace.token, p2.id, null, "pro", "<script>alert('x')</script> [Brackets] <angle> #tag @mention // comment -> arrow");
  const hidden = await post(alan.token, p3.id, null, "con", "This one will be hidden by the facilitator.");
  const reply = await post(ada.token, p3.id, hidden, "pro", "A reply under the hidden argument.");
  const hide = await api(baseUrl, `/api/debates/${debate.id}/arguments/${hidden}/hide`, { token: host, body: { reason: "Off topic" } });
  if (hide.status !== 200) throw new Error(`hide failed: ${hide.status} ${JSON.stringify(hide.json)}`);
  for (const [i, p] of debate.propositions.entries()) {
    for (const [j, who] of participants.entries()) {
      const value = (["agree", "disagree", "unsure"] as const)[(i + j) % 3];
      const res = await api(baseUrl, `/api/debates/${debate.id}/propositions/${p.id}/vote`, { method: "PUT", token: who.token, body: { value } });
      if (res.status !== 200) throw new Error(`vote failed: ${res.status} ${JSON.stringify(res.json)}`);
    }
  }
  for (const [id, who, value] of [[a1, grace, "up"], [a1, alan, "up"], [a2, ada, "down"]] as const) {
    const res = await api(baseUrl, `/api/debates/${debate.id}/arguments/${id}/rating`, { method: "PUT", token: who.token, body: { value } });
    if (res.status !== 200) throw new Error(`rating failed: ${res.status} ${JSON.stringify(res.json)}`);
  }
  const read = await api(baseUrl, `/api/debates/${debate.id}`, { token: host });
  return { debateId: debate.id, hostToken: host, title: read.json.title, participants, propositions: debate.propositions, arguments: args, hiddenArgumentId: hidden, hiddenReplyId: reply };
}
