/**
 * The AIF importer's mapping (server/domain/imports/aif.ts) on hand-written
 * graphs: an I-node that supports or attacks several things keeps every link
 * (further links become copies of its text), duplicate links are not copied
 * twice, and copy keys never collide with node IDs of the file.
 */
import { describe, expect, it } from "vitest";
import { parseAif } from "../../server/domain/imports/aif";

const graph = (nodes: [string, string, string][], edges: [string, string][]) =>
  JSON.stringify({ nodes: nodes.map(([nodeID, type, text]) => ({ nodeID, type, text })), edges: edges.map(([fromID, toID]) => ({ fromID, toID })) });

describe("parseAif", () => {
  it("a premise of two inferences and one conflict: imported once per link, copies answering the other targets", () => {
    const text = graph(
      [["1", "I", "Thesis"], ["2", "I", "Other thesis"], ["3", "I", "Premise"], ["4", "I", "Sub-claim"], ["r1", "RA", ""], ["r2", "RA", ""], ["r3", "RA", ""], ["c1", "CA", ""], ["r4", "RA", ""], ["3#2", "I", "Claim whose ID looks like a copy key"]],
      [["3", "r1"], ["r1", "1"], ["3", "r2"], ["r2", "4"], ["4", "r3"], ["r3", "1"], ["3", "c1"], ["c1", "2"], ["3", "r4"], ["r4", "1"]],
    );
    const d = parseAif("g.json", text);
    expect(d.propositions.map((p) => p.key)).toEqual(["1", "2", "3#2"]);
    const links = d.arguments.map((a) => [a.key, a.propositionKey, a.parentKey, a.stance, a.text]);
    expect(links).toEqual([
      ["3", "1", null, "pro", "Premise"],
      ["4", "1", null, "pro", "Sub-claim"],
      ["3#3", "1", "4", "pro", "Premise"],
      ["3#4", "2", null, "con", "Premise"],
    ]);
    // r4 repeats 3 → 1 (pro): not copied again.
    expect(d.warnings).toEqual([
      "g.json: node 3 also supports node 4; that link was imported as a copy of its text (a Steelman argument answers one thing).",
      "g.json: node 3 also attacks node 2; that link was imported as a copy of its text (a Steelman argument answers one thing).",
    ]);
  });
});
