/**
 * The search box of the debate page (issue 14): full-text search over the debate's propositions
 * and arguments through `GET /api/debates/:id/search` (PostgreSQL full text, docs/api.md), as the
 * reader types (after a pause) or submits. A proposition found is shown by `onProposition` (the
 * list may be virtualised); an argument found links to its deep link. The number of results is
 * announced politely. Without JavaScript the form submits `?q=` and the page lists the results
 * the loader found (`initial`).
 */
import { useT } from "~/i18n/react";
import { useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "~/realtime/argument-reader";
import { FormError } from "~/components/FormError";

/** What `GET …/search` answers, as the box uses it (docs/api.md). */
export interface SearchResults {
  query: string;
  propositions: { id: string; position: number; text: string }[];
  arguments: { id: string; propositionId: string; stance: "pro" | "con"; snippet: string }[];
}

/** Checks an answer by hand (zod would weigh on the page's first load, scripts/js-budget.ts); null when it is not one. */
function asResults(v: unknown): SearchResults | null {
  if (typeof v !== "object" || v === null) return null;
  const r = v as Record<string, unknown>;
  if (typeof r.query !== "string" || !Array.isArray(r.propositions) || !Array.isArray(r.arguments)) return null;
  const okP = (r.propositions as Record<string, unknown>[]).every((p) => typeof p?.id === "string" && typeof p.text === "string" && typeof p.position === "number");
  const okA = (r.arguments as Record<string, unknown>[]).every((a) => typeof a?.id === "string" && typeof a.propositionId === "string" && (a.stance === "pro" || a.stance === "con") && typeof a.snippet === "string");
  return okP && okA ? (v as SearchResults) : null;
}

/** Waits this long after the last keystroke before searching (ms). */
const TYPING_PAUSE_MS = 300;

/** «word» marks of the server's snippets as <mark>. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/«|»/);
  return (
    <>
      {parts.map((part, i) => (i % 2 ? <mark key={i}>{part}</mark> : <span key={i}>{part}</span>))}
    </>
  );
}

export function DebateSearch({ debateId, initial, numberOf, onProposition }: { debateId: string; initial: SearchResults | null; numberOf(propositionId: string): number | null; onProposition(propositionId: string): void }) {
  const t = useT();
  const id = useId();
  const [query, setQuery] = useState(initial?.query ?? "");
  const [results, setResults] = useState<SearchResults | null>(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);

  const search = async (words: string) => {
    const n = ++latest.current;
    if (!words.trim()) {
      setResults(null);
      setError(null);
      return;
    }
    setBusy(true);
    try {
      const response = await fetch(`/api/debates/${debateId}/search?${new URLSearchParams({ q: words, limit: "20" })}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const body: unknown = await response.json().catch(() => null);
      if (n !== latest.current) return;
      if (!response.ok) {
        setError(errorMessage(body) ?? t("search.failedStatus", { status: response.status }));
        return;
      }
      const parsed = asResults(body);
      if (!parsed) {
        setError(t("search.notUnderstood"));
        return;
      }
      setError(null);
      setResults(parsed);
    } catch {
      if (n === latest.current) setError(t("search.offline"));
    } finally {
      if (n === latest.current) setBusy(false);
    }
  };

  useEffect(() => {
    if (query === (initial?.query ?? "") && results === initial) return;
    const timer = setTimeout(() => void search(query), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- search only when the words change
  }, [query]);

  const total = results ? results.propositions.length + results.arguments.length : 0;
  const announcement = busy ? t("search.searching") : error ? "" : results ? (total ? t("search.results", { count: total, query: results.query }) : t("search.nothing", { query: results.query })) : "";
  return (
    <section className="debate-search">
      <form
        role="search"
        method="get"
        onSubmit={(event) => {
          event.preventDefault();
          void search(query);
        }}
      >
        <label id={`${id}-label`} htmlFor={`${id}-q`}>
          {t("search.label")}
        </label>
        <span className="debate-search-row">
          <input id={`${id}-q`} name="q" type="search" value={query} maxLength={200} onChange={(e) => setQuery(e.target.value)} aria-describedby={`${id}-status`} data-testid="debate-search" />
          <button type="submit" className="button button-small">
            {t("search.button")}
          </button>
        </span>
      </form>
      <p id={`${id}-status`} className="muted debate-search-status" role="status" aria-live="polite">
        {announcement}
      </p>
      <FormError message={error} />
      {results && total ? (
        <ul className="search-results" aria-label={t("search.resultsLabel", { query: results.query })} data-testid="search-results">
          {results.propositions.map((p) => (
            <li key={p.id}>
              <a
                href={`#prop-${p.id}`}
                onClick={(event) => {
                  event.preventDefault();
                  onProposition(p.id);
                }}
              >
                {t("search.proposition", { n: String(numberOf(p.id) ?? p.position + 1), text: p.text })}
              </a>
            </li>
          ))}
          {results.arguments.map((a) => (
            <li key={a.id}>
              <Link to={`/debates/${debateId}/arguments/${a.id}`} preventScrollReset>
                {t(a.stance === "pro" ? "search.argumentFor" : "search.argumentAgainst", { n: String(numberOf(a.propositionId) ?? "?") })} <Snippet text={a.snippet} />
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
