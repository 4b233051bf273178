/**
 * The Import page (issue 15): a facilitator uploads or drops the files of a
 * debate exported from Steelman (JSON), Argdown, Kialo (text export), AIF
 * (AIFdb/OVA JSON) or Polis (the CSVs, or the zip Steelman exports), sees
 * what would be created (POST /api/imports/preview: counts and warnings),
 * then creates a draft debate (POST /api/imports) and is taken to review it.
 * Polis imports are published at once, as issue 11 made them.
 * Needs JavaScript to read the files (the browser's File API); without it the
 * page says so and points at the JSON API.
 */
import { useState } from "react";
import { useNavigate } from "react-router";
import { strFromU8, unzipSync } from "fflate";
import type { Route } from "./+types/debate-import";
import { requireUser } from "~/utils/session.server";
import { pageTitle } from "~/i18n/meta";
import { useT, type MessageKey } from "~/i18n/react";
import { importWarningText, type ImportWarning } from "~/shared/import-warnings";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "import.title") }];

/** Importing needs a facilitator account: anyone else is sent to sign in first. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  return { displayName: user.displayName };
}

const FORMATS = [
  { value: "steelman", label: "import.format.steelman" },
  { value: "argdown", label: "import.format.argdown" },
  { value: "kialo", label: "import.format.kialo" },
  { value: "aif", label: "import.format.aif" },
  { value: "polis", label: "import.format.polis" },
] as const satisfies readonly { value: string; label: MessageKey }[];
type Format = (typeof FORMATS)[number]["value"];
const MAX_BYTES = 5 * 1024 * 1024;

/** The format a file most likely is, from its name and first characters. */
export function guessFormat(name: string, text: string): Format {
  const lower = name.toLowerCase();
  if (lower.endsWith(".csv") || lower.endsWith(".zip")) return "polis";
  if (lower.endsWith(".argdown") || lower.endsWith(".ad")) return "argdown";
  if (lower.endsWith(".json")) return /"format"\s*:\s*"steelman-debate"/.test(text.slice(0, 200)) ? "steelman" : "aif";
  return /^\s*(Discussion Title:|1\.\s)/.test(text) ? "kialo" : "argdown";
}

/** The preview reply (`warningMessages`: the same warnings as `warnings`, as catalogue messages; absent from older servers and the Polis note). */
type Preview = { title: string | null; imported: Record<string, number>; warnings: string[]; warningMessages?: ImportWarning[] };
type Problem = { message: string };

/** POSTs JSON; a reply that is not JSON becomes an error whose message is `unreadable(status)`. */
async function post(path: string, body: unknown, unreadable: (status: number) => string) {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
  const json = await res.json().catch(() => ({ error: { message: unreadable(res.status) } }));
  return { ok: res.ok, status: res.status, json };
}

export default function ImportDebate() {
  const navigate = useNavigate();
  const [files, setFiles] = useState<Record<string, string>>({});
  const [format, setFormat] = useState<Format>("steelman");
  const [title, setTitle] = useState("");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const t = useT();
  const unreadable = (status: number) => t("import.serverAnswered", { status });
  /** A warning in the page's language; undefined when it names a message this page does not have (then the server's English is shown). */
  const warningText = (w: ImportWarning | undefined) => {
    if (!w) return undefined;
    try {
      const text = importWarningText(t, w);
      return text.includes(w.key) ? undefined : text;
    } catch {
      return undefined; // values that do not fit the message
    }
  };

  async function load(list: FileList | File[]) {
    setPreview(null);
    setProblem(null);
    const read: Record<string, string> = {};
    for (const file of Array.from(list)) {
      if (file.size > MAX_BYTES && !file.name.toLowerCase().endsWith(".zip")) {
        setProblem({ message: t("import.tooLarge", { name: file.name }) });
        return;
      }
      if (file.name.toLowerCase().endsWith(".zip")) {
        const entries = unzipSync(new Uint8Array(await file.arrayBuffer()));
        for (const [name, data] of Object.entries(entries)) if (name.endsWith(".csv") && name !== "summary.csv") read[name.split("/").pop()!] = strFromU8(data);
      } else {
        read[file.name] = await file.text();
      }
    }
    const names = Object.keys(read);
    if (names.length === 0) return;
    const guessed = guessFormat(Array.from(list)[0]?.name ?? names[0], read[names[0]]);
    setFormat(guessed);
    setFiles(read);
    await check(guessed, read);
  }

  async function check(f: Format, current = files) {
    if (Object.keys(current).length === 0) return;
    setBusy(true);
    setProblem(null);
    setPreview(null);
    if (f === "polis") {
      setPreview({ title: null, imported: { files: Object.keys(current).length }, warnings: [t("import.polisLater")] });
      setBusy(false);
      return;
    }
    const res = await post("/api/imports/preview", { format: f, files: current }, unreadable);
    setBusy(false);
    if (res.ok) setPreview(res.json as Preview);
    else setProblem({ message: res.json.error?.message ?? t("newDebate.fileUnreadable") });
  }

  async function create() {
    setBusy(true);
    setProblem(null);
    const res = await post("/api/imports", { format, files, ...(title.trim() ? { title: title.trim() } : {}) }, unreadable);
    setBusy(false);
    if (!res.ok) {
      setProblem({ message: res.json.error?.message ?? t("import.failed") });
      return;
    }
    void navigate(format === "polis" ? res.json.url : `${res.json.url}/edit`);
  }

  const names = Object.keys(files);
  return (
    <section className="page import-page">
      <h1>{t("import.title")}</h1>
      <p className="lede">{t("import.lede")}</p>
      <noscript>
        <p className="error">{t("import.noScript")}</p>
      </noscript>
      <div
        className={`drop-zone${dragging ? " drop-zone-active" : ""}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void load(e.dataTransfer.files);
        }}
      >
        <label className="field">
          <span>{t("import.choose")}</span>
          <input type="file" multiple accept=".json,.argdown,.ad,.txt,.csv,.zip" onChange={(e) => e.target.files && void load(e.target.files)} />
        </label>
        {names.length ? <p className="muted">{t("import.loaded", { names: names.join(", ") })}</p> : null}
      </div>
      <div className="stack">
        <label className="field">
          <span>{t("import.formatLabel")}</span>
          <select
            value={format}
            onChange={(e) => {
              const f = e.target.value as Format;
              setFormat(f);
              void check(f);
            }}
          >
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {t(f.label)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("newDebate.titleLabel")}</span>
          <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} placeholder={t("import.titlePlaceholder")} />
        </label>
      </div>
      {problem ? (
        <p className="error" role="alert" data-testid="import-error">
          {problem.message}
        </p>
      ) : null}
      {preview ? (
        <section className="callout" aria-labelledby="preview-heading" data-testid="import-preview">
          <h2 id="preview-heading">{preview.title ? t("import.previewTitled", { title: preview.title }) : t("import.preview")}</h2>
          <ul>
            {Object.entries(preview.imported).map(([what, count]) => (
              <li key={what}>{t("import.count", { what, count })}</li>
            ))}
          </ul>
          {preview.warnings.length ? (
            <>
              <h3>{t("import.warnings")}</h3>
              <ul data-testid="import-warnings">
                {preview.warnings.map((w, i) => (
                  <li key={i}>{warningText(preview.warningMessages?.[i]) ?? w}</li>
                ))}
              </ul>
            </>
          ) : null}
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void create()}>
            {t(busy ? "import.creating" : format === "polis" ? "import.create" : "import.createDraft")}
          </button>
        </section>
      ) : busy ? (
        <p role="status">{t("import.reading")}</p>
      ) : null}
    </section>
  );
}
