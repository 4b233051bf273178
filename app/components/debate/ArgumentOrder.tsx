import { useState } from "react";
import type { ArgumentDTO } from "~/shared/contract";
import { useT, type Translate } from "~/i18n/react";

/** How the top-level arguments of each column are ordered on the debate page. */
export type ArgumentOrder = "oldest" | "top" | "bridging";

/**
 * A ranking taken at one moment: argument id → position (0 = first). It is not re-sorted while
 * people rate (nothing moves under the reader's hand); "Sort again" takes a new one. Arguments not
 * in it (new, or never rated) come after the ranked ones, oldest first.
 */
export interface ArgumentRanking {
  rank: ReadonlyMap<string, number>;
  /** Arguments rated helpful on both sides of the main divide (bridging order only). */
  acrossDivide: ReadonlySet<string>;
  /** How the ranking was made, in a sentence shown under the picker (English; the picker shows it translated by `method`). */
  note: string;
  /** How it was made: by ratings here, or by the server's bridging answer (with its raters, or its English reason for falling back). */
  method?: "top" | "matrix-factorisation" | "wilson";
  raters?: number;
  reason?: string | null;
}

/** The ranking's note in the page's language. */
function noteText(t: Translate, ranking: ArgumentRanking): string {
  if (ranking.method === "top") return t("order.topNote");
  if (ranking.method === "matrix-factorisation") return t("order.bridgingNote", { raters: ranking.raters ?? 0 });
  if (ranking.method === "wilson") return ranking.reason ? t("order.wilsonNoteReason", { reason: ranking.reason }) : t("order.wilsonNote");
  return ranking.note;
}

/** Orders `list` by `ranking` (ranked first, in rank order; the rest oldest first); unchanged without one. */
export function orderByRanking<T extends { id: string; createdAt: string }>(list: readonly T[], ranking: ArgumentRanking | null): T[] {
  const oldest = [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (!ranking) return oldest;
  const at = (a: T) => ranking.rank.get(a.id) ?? Number.POSITIVE_INFINITY;
  return oldest.sort((a, b) => at(a) - at(b)); // stable: unranked keep oldest-first
}

/** Most up-voted first: up − down, then more up-votes, then oldest. */
export function rankByRatings(args: readonly ArgumentDTO[]): ArgumentRanking {
  const sorted = [...args].filter((a) => !a.deleted).sort((a, b) => b.tally.up - b.tally.down - (a.tally.up - a.tally.down) || b.tally.up - a.tally.up || a.createdAt.localeCompare(b.createdAt));
  return { rank: new Map(sorted.map((a, i) => [a.id, i])), acrossDivide: new Set(), note: "Most up-voted first (up-votes minus down-votes), as they stood when sorted.", method: "top" };
}

interface BridgingAnswer {
  method: "matrix-factorisation" | "wilson";
  reason: string | null;
  activeRaters: number;
  arguments: { argumentId: string; score: number; helpfulAcrossDivide: boolean }[];
}

/** Fetches the "convinced people across groups" order (GET /api/debates/:id/arguments/bridging). */
export async function fetchBridgingRanking(debateId: string): Promise<ArgumentRanking> {
  const response = await fetch(`/api/debates/${debateId}/arguments/bridging`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = (await response.json().catch(() => null)) as (BridgingAnswer & { error?: { message?: string } }) | null;
  if (!response.ok || !body || !Array.isArray(body.arguments)) throw new Error(body?.error?.message ?? `The order could not be loaded (HTTP ${response.status}).`);
  return {
    rank: new Map(body.arguments.map((a, i) => [a.argumentId, i])),
    acrossDivide: new Set(body.arguments.filter((a) => a.helpfulAcrossDivide).map((a) => a.argumentId)),
    note:
      body.method === "wilson"
        ? `${body.reason ?? "Too few ratings to tell who convinces across the divide"}: ranked by up-votes (Wilson lower bound) instead.`
        : `Ranked by how helpful people on different sides found them (Community Notes' method), from ${body.activeRaters} raters.`,
    method: body.method,
    raters: body.activeRaters,
    reason: body.reason,
  };
}

/**
 * The argument order picker above the propositions: oldest first, most up-voted, or convinced
 * people across groups (issue 11). Calls `onRanking` with the ranking to apply (null: oldest first).
 */
export function ArgumentOrderPicker({ debateId, args, onRanking }: { debateId: string; args: readonly ArgumentDTO[]; onRanking(ranking: ArgumentRanking | null): void }) {
  const [order, setOrder] = useState<ArgumentOrder>("oldest");
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const t = useT();

  async function apply(next: ArgumentOrder) {
    setOrder(next);
    setError(null);
    if (next === "oldest") {
      setNote(null);
      onRanking(null);
      return;
    }
    if (next === "top") {
      const ranking = rankByRatings(args);
      setNote(noteText(t, ranking));
      onRanking(ranking);
      return;
    }
    setLoading(true);
    try {
      const ranking = await fetchBridgingRanking(debateId);
      setNote(noteText(t, ranking));
      onRanking(ranking);
    } catch (e) {
      setError(e instanceof Error ? e.message : t("order.failed"));
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className="argument-order">
      <label id="argument-order-label" htmlFor="argument-order">
        {t("order.label")}
      </label>{" "}
      <select id="argument-order" value={order} onChange={(e) => void apply(e.target.value as ArgumentOrder)} disabled={loading}>
        <option value="oldest">{t("order.oldest")}</option>
        <option value="top">{t("order.top")}</option>
        <option value="bridging">{t("order.bridging")}</option>
      </select>{" "}
      {order !== "oldest" ? (
        <button type="button" className="button button-small" onClick={() => void apply(order)} disabled={loading}>
          {t("order.again")}
        </button>
      ) : null}
      <p className="muted argument-order-note" aria-live="polite" data-testid="argument-order-note">
        {loading ? t("order.sorting") : (error ?? note ?? "")}
      </p>
    </div>
  );
}
