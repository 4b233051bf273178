/**
 * The debate page's Export menu (issue 15): one download link per format of
 * `GET /api/debates/:id/export` (docs/api.md "Exports and imports"). The
 * browser sends its participant or session cookie, so each reader gets what
 * their role may read; facilitators also get the JSON with participants'
 * names. A native <details> disclosure: works without JavaScript, keyboard
 * and screen-reader friendly.
 */
import { useT, type MessageKey } from "~/i18n/react";

const FORMATS: readonly { format: string; label: MessageKey; hint: MessageKey }[] = [
  { format: "markdown", label: "export.markdown", hint: "export.markdownHint" },
  { format: "json", label: "export.json", hint: "export.jsonHint" },
  { format: "argdown", label: "export.argdown", hint: "export.argdownHint" },
  { format: "aif", label: "export.aif", hint: "export.aifHint" },
  { format: "polis", label: "export.polis", hint: "export.polisHint" },
];

export function ExportMenu({ debateId, facilitator }: { debateId: string; facilitator: boolean }) {
  const href = (format: string, names = false) => `/api/debates/${debateId}/export?format=${format}${names ? "&names=1" : ""}`;
  const t = useT();
  return (
    <details className="export-menu" data-testid="export-menu">
      <summary>{t("export.summary")}</summary>
      <ul aria-label={t("export.formats")}>
        {FORMATS.map((f) => (
          <li key={f.format}>
            <a href={href(f.format)} download data-format={f.format}>
              {t(f.label)}
            </a>{" "}
            <span className="muted">{t(f.hint)}</span>
          </li>
        ))}
        {facilitator ? (
          <li>
            <a href={href("json", true)} download data-format="json-names">
              {t("export.jsonNames")}
            </a>{" "}
            <span className="muted">{t("export.facilitatorsOnly")}</span>
          </li>
        ) : null}
      </ul>
      <p className="muted">
        {facilitator ? t("export.facilitatorNote") : t("export.participantNote")}
      </p>
    </details>
  );
}
