import { useRef, useState } from "react";
import { Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/new-debate";
import { FormError } from "~/components/FormError";
import { VISIBILITY_CHOICES, VisibilityPicker } from "~/components/VisibilityPicker";
import { LIMITS } from "~/shared/contract";
import { ACCEPTED_ARTICLE_TYPES, readArticleFile, UnsupportedArticleFile } from "~/utils/article-file";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { formResult, formText, readForm } from "~/utils/errors.server";
import { requireUser } from "~/utils/session.server";
import { FormatPicker } from "~/components/debate/FormatPicker";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "newDebate.title") }];

/** Starting a debate needs a facilitator account: anyone else is sent to sign in first. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  return { displayName: user.displayName };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireUser(context, request, "/debates/new");
  const form = await readForm(request);
  const text = (name: string) => (formText(form, name).trim() !== "" ? formText(form, name) : undefined);
  // visibility: one of the picker's values; anything else is refused by createDebateSchema with a sentence.
  // format: one of the picker's values (createDebateSchema refuses anything else); motion only for Oxford.
  const format = text("format");
  const values = { title: text("title"), sourceText: formText(form, "sourceText"), sourceUrl: text("sourceUrl"), visibility: text("visibility"), format, motion: format === "oxford" ? text("motion") : undefined };
  const result = await formResult(() => context.services.createDebate(user, values, context.clientAddress));
  if (!result.ok) return { error: result.error, values };
  // No participant cookie for the host: the session cookie already makes this account the host
  // (services.findActor), and a host cookie would outlive signing out — on a shared computer the
  // next person would run the debate. `hostToken` is for scripts (POST /api/debates).
  return redirect(result.value.editUrl);
}

export default function NewDebate({ actionData }: Route.ComponentProps) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const t = useT();
  // One sentence with the link in its place: the text before and after the link's placeholder.
  const [importBefore, importAfter = ""] = t("newDebate.import", { link: "\u0000" }).split("\u0000");
  const error = actionData?.error;
  const fieldError = (field: string) => (error?.field === field ? error.message : null);
  const generalError = error && !["title", "sourceText", "sourceUrl", "visibility", "format", "motion"].includes(error.field ?? "") ? error.message : null;
  const chosenVisibility = VISIBILITY_CHOICES.find((v) => v.value === actionData?.values.visibility)?.value ?? "unlinked";

  async function onFile(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setFileError(null);
    if (!file) return;
    try {
      const text = await readArticleFile(file);
      if (textRef.current) textRef.current.value = text;
      setFileName(file.name);
    } catch (e) {
      setFileError(e instanceof UnsupportedArticleFile ? t("newDebate.fileType", { name: e.fileName }) : t("newDebate.fileUnreadable"));
    }
  }

  return (
    <section className="page narrow">
      <h1>{t("newDebate.title")}</h1>
      <p className="lede">{t("newDebate.lede")}</p>
      <p className="muted">
        {importBefore}
        <a href="/debates/import">{t("newDebate.importLink")}</a>
        {importAfter}
      </p>
      <Form method="post" className="stack" aria-describedby={generalError ? "form-error" : undefined}>
        {generalError ? (
          <p id="form-error" className="error" role="alert">
            {generalError}
          </p>
        ) : null}
        <label className="field">
          <span>{t("newDebate.titleLabel")}</span>
          <input name="title" maxLength={LIMITS.titleMaxChars} defaultValue={actionData?.values.title} aria-invalid={!!fieldError("title")} placeholder={t("newDebate.titlePlaceholder")} />
          {fieldError("title") ? <span className="error" role="alert">{fieldError("title")}</span> : null}
        </label>
        <label className="field">
          <span>{t("newDebate.url")}</span>
          <input name="sourceUrl" type="url" defaultValue={actionData?.values.sourceUrl} aria-invalid={!!fieldError("sourceUrl")} placeholder="https://…" />
          {fieldError("sourceUrl") ? <span className="error" role="alert">{fieldError("sourceUrl")}</span> : null}
        </label>
        <label className="field">
          <span>{t("newDebate.file")}</span>
          <input type="file" accept={ACCEPTED_ARTICLE_TYPES} onChange={onFile} />
          {fileName ? <span className="muted">{t("newDebate.fileLoaded", { name: fileName })}</span> : null}
          {fileError ? <span className="error" role="alert">{fileError}</span> : null}
        </label>
        <label className="field">
          <span>{t("newDebate.text")}</span>
          <textarea
            ref={textRef}
            name="sourceText"
            rows={16}
            required
            defaultValue={actionData?.values.sourceText}
            aria-invalid={!!fieldError("sourceText")}
            aria-describedby={fieldError("sourceText") ? "sourceText-error" : undefined}
            placeholder={t("newDebate.textPlaceholder")}
          />
          {fieldError("sourceText") ? (
            <span id="sourceText-error" className="error" role="alert">
              {fieldError("sourceText")}
            </span>
          ) : null}
        </label>
        <div className="field">
          <VisibilityPicker legend={t("newDebate.visibility")} showLegend defaultValue={chosenVisibility} describedBy="visibility-later" />
          <span id="visibility-later" className="muted">
            {t("newDebate.visibilityLater")}
          </span>
          <FormError message={fieldError("visibility")} />
        </div>
        <FormatPicker defaultFormat={actionData?.values.format} defaultMotion={actionData?.values.motion} error={fieldError("format") ?? fieldError("motion")} />
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {t(busy ? "newDebate.drafting" : "newDebate.draft")}
          </button>
        </div>
      </Form>
    </section>
  );
}
