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

export const meta: Route.MetaFunction = () => [{ title: "Import a debate — Steelman" }];

/** Importing needs a facilitator account: anyone else is sent to sign in first. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  return { displayName: user.displayName };
}

const FORMATS = [
  { value: "steelman", label: "Steelman JSON (.steelman.json)" },
  { value: "argdown", label: "Argdown (.argdown)" },
  { value: "kialo", label: "Kialo text export (.txt)" },
  { value: "aif", label: "AIF JSON (AIFdb, OVA)" },
  { value: "polis", label: "Polis export (CSV files or .zip)" },
] as const;
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

type Preview = { title: string | null; imported: Record<string, number>; warnings: string[] };
type Problem = { message: string };

async function post(path: string, body: unknown) {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
  const json = await res.json().catch(() => ({ error: { message: `The server answered ${res.status}.` } }));
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

  async function load(list: FileList | File[]) {
    setPreview(null);
    setProblem(null);
    const read: Record<string, string> = {};
    for (const file of Array.from(list)) {
      if (file.size > MAX_BYTES && !file.name.toLowerCase().endsWith(".zip")) {
        setProblem({ message: `"${file.name}" is larger than 5 MB; files up to 5 MB can be imported.` });
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
      setPreview({ title: null, imported: { files: Object.keys(current).length }, warnings: ["Polis files are checked when the debate is created."] });
      setBusy(false);
      return;
    }
    const res = await post("/api/imports/preview", { format: f, files: current });
    setBusy(false);
    if (res.ok) setPreview(res.json as Preview);
    else setProblem({ message: res.json.error?.message ?? "The file could not be read." });
  }

  async function create() {
    setBusy(true);
    setProblem(null);
    const res = await post("/api/imports", { format, files, ...(title.trim() ? { title: title.trim() } : {}) });
    setBusy(false);
    if (!res.ok) {
      setProblem({ message: res.json.error?.message ?? "The import failed." });
      return;
    }
    void navigate(format === "polis" ? res.json.url : `${res.json.url}/edit`);
  }

  const names = Object.keys(files);
  return (
    <section className="page import-page">
      <h1>Import a debate</h1>
      <p className="lede">Bring a debate in from Steelman, Argdown, Kialo, AIF (AIFdb, OVA) or Polis. You see what will be created first; the debate starts as a draft for you to review and publish.</p>
      <noscript>
        <p className="error">Reading files needs JavaScript. Scripts can send the same files to POST /api/imports (see docs/api.md).</p>
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
          <span>Choose the file (or drop it here; for Polis, the CSV files or the zip)</span>
          <input type="file" multiple accept=".json,.argdown,.ad,.txt,.csv,.zip" onChange={(e) => e.target.files && void load(e.target.files)} />
        </label>
        {names.length ? <p className="muted">Loaded: {names.join(", ")}</p> : null}
      </div>
      <div className="stack">
        <label className="field">
          <span>Format</span>
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
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Title (optional)</span>
          <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} placeholder="Taken from the file when left empty" />
        </label>
      </div>
      {problem ? (
        <p className="error" role="alert" data-testid="import-error">
          {problem.message}
        </p>
      ) : null}
      {preview ? (
        <section className="callout" aria-labelledby="preview-heading" data-testid="import-preview">
          <h2 id="preview-heading">What will be created{preview.title ? `: ${preview.title}` : ""}</h2>
          <ul>
            {Object.entries(preview.imported).map(([what, count]) => (
              <li key={what}>
                {count} {what}
              </li>
            ))}
          </ul>
          {preview.warnings.length ? (
            <>
              <h3>Warnings</h3>
              <ul data-testid="import-warnings">
                {preview.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </>
          ) : null}
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void create()}>
            {busy ? "Creating…" : format === "polis" ? "Create the debate" : "Create a draft debate"}
          </button>
        </section>
      ) : busy ? (
        <p role="status">Reading the file…</p>
      ) : null}
    </section>
  );
}
