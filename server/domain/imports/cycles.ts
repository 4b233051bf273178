/**
 * Cycle breaking shared by the graph importers (Argdown, AIF): a Steelman argument answers one
 * thing, and following "answers" from any element must end at a proposition.
 */

/**
 * Removes from `answers` (element key → what it answers) every element whose chain of answers
 * returns to itself, so that it becomes a proposition; calls `onCycle(key)` for each, in key order.
 * Mutates `answers`.
 */
export function breakAnswerCycles(answers: Map<string, { target: string }>, onCycle: (key: string) => void): void {
  for (const key of [...answers.keys()]) {
    if (answerRoot(answers, key) === null) {
      answers.delete(key);
      onCycle(key);
    }
  }
}

/** The element `key`'s chain of answers ends at (a proposition's key), or null when it loops. */
export function answerRoot(answers: ReadonlyMap<string, { target: string }>, key: string): string | null {
  const seen = new Set<string>();
  let k = key;
  while (answers.has(k)) {
    if (seen.has(k)) return null;
    seen.add(k);
    k = answers.get(k)!.target;
  }
  return k;
}
