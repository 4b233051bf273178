/**
 * The debate page's Export menu (issue 15): one download link per format of
 * `GET /api/debates/:id/export` (docs/api.md "Exports and imports"). The
 * browser sends its participant or session cookie, so each reader gets what
 * their role may read; facilitators also get the JSON with participants'
 * names. A native <details> disclosure: works without JavaScript, keyboard
 * and screen-reader friendly.
 */
const FORMATS = [
  { format: "markdown", label: "Report (Markdown)", hint: "to paste into a document" },
  { format: "json", label: "Steelman JSON", hint: "everything, to import again" },
  { format: "argdown", label: "Argdown", hint: "argument map" },
  { format: "aif", label: "AIF JSON", hint: "for AIFdb and OVA" },
  { format: "polis", label: "Polis CSV (zip)", hint: "for Polis analysis tools" },
] as const;

export function ExportMenu({ debateId, facilitator }: { debateId: string; facilitator: boolean }) {
  const href = (format: string, names = false) => `/api/debates/${debateId}/export?format=${format}${names ? "&names=1" : ""}`;
  return (
    <details className="export-menu" data-testid="export-menu">
      <summary>Export</summary>
      <ul aria-label="Export formats">
        {FORMATS.map((f) => (
          <li key={f.format}>
            <a href={href(f.format)} download data-format={f.format}>
              {f.label}
            </a>{" "}
            <span className="muted">{f.hint}</span>
          </li>
        ))}
        {facilitator ? (
          <li>
            <a href={href("json", true)} download data-format="json-names">
              Steelman JSON with names
            </a>{" "}
            <span className="muted">facilitators only</span>
          </li>
        ) : null}
      </ul>
      <p className="muted">
        {facilitator ? "Your exports include hidden content and, as JSON, the audit log." : "Exports hold what you can read here; participants appear as p0, p1, …"}
      </p>
    </details>
  );
}
