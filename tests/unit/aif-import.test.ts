/**
 * The AIF importer's mapping (server/domain/imports/aif.ts) on hand-written
 * graphs: an I-node that supports or attacks several things keeps every link
 * (further links become copies of its text), duplicate links are not copied
 * twice, and copy keys never collide with node IDs of the file. Its warnings
 * as English text and as catalogue messages (app/shared/import-warnings.ts).
 */
import { describe, expect, it } from "vitest";
import { parseAif } from "../../server/domain/imports/aif";
import { apiWarnings } from "../../server/services/imports";
import { importWarningText } from "../../app/shared/import-warnings";
import { translate } from "../../app/i18n/catalogues.server";

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
    expect(apiWarnings(d.warnings).warnings).toEqual([
      "g.json: node 3 also supports node 4; that link was imported as a copy of its text (a Steelman argument answers one thing).",
      "g.json: node 3 also attacks node 2; that link was imported as a copy of its text (a Steelman argument answers one thing).",
    ]);
  });
});

describe("import warnings in other languages", () => {
  it("each warning is also a catalogue message the Import page renders in its language, the English text unchanged", () => {
    const text = graph([["1", "I", "Thesis"], ["2", "I", "Other"], ["3", "I", "Premise"], ["r1", "RA", ""], ["c1", "CA", ""], ["l1", "L", "said"]], [["3", "r1"], ["r1", "1"], ["3", "c1"], ["c1", "2"]]);
    const { warnings, warningMessages } = apiWarnings(parseAif("g.json", text).warnings);
    expect(warnings).toEqual(["g.json: 1 L node(s) were left out (locutions).", "g.json: node 3 also attacks node 2; that link was imported as a copy of its text (a Steelman argument answers one thing)."]);
    const german = warningMessages.map((w) => importWarningText((id, values) => translate("de", id, values), w));
    expect(german).toEqual(["g.json: 1 L-Knoten wurde weggelassen (Lokutionen).", "g.json: Knoten 3 greift auch Knoten 2 an; diese Verbindung wurde als Kopie seines Textes importiert (ein Steelman-Argument antwortet auf genau eine Sache)."]);
    expect(importWarningText((id, values) => translate("ar-XB", id, values), warningMessages[0])).toMatch(/^⟦g\.json: ⟦1 L node\(s\) were left out \(locutions\)\.⟧⟧$/);
  });
});
