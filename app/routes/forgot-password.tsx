import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/forgot-password";
import { FormError } from "~/components/FormError";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { EMAIL_MAX_CHARS } from "~/shared/accounts";
import { formFailure, formResult, formText, readForm, retryAfterHeaders } from "~/utils/errors.server";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "reset.forgot.title") }];

/** A refusal for going too fast carries Retry-After on the page response too. */
export const headers: Route.HeadersFunction = retryAfterHeaders;

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const email = formText(form, "email");
  const result = await formResult(() => context.services.requestPasswordReset({ email }, { address: context.clientAddress }));
  if (!result.ok) return formFailure(result.error, { sent: false as const, email });
  return { sent: true as const, error: null, email };
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  if (actionData?.sent) {
    const [before, after = ""] = t("reset.sent.body", { email: "\u0000" }).split("\u0000");
    return (
      <section className="page narrow">
        <h1>{t("reset.sent.title")}</h1>
        <p className="callout" role="status">
          {before}
          <bdi>{actionData.email.trim()}</bdi>
          {after}
        </p>
        <p>
          <Link to="/login">{t("reset.backToSignIn")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="page narrow">
      <h1>{t("reset.forgot.title")}</h1>
      <p className="lede">{t("reset.forgot.lede")}</p>
      <Form method="post" className="stack account-form">
        <label className="field">
          <span>{t("auth.email")}</span>
          <input name="email" type="email" autoComplete="email" required maxLength={EMAIL_MAX_CHARS} defaultValue={actionData?.email} aria-invalid={!!actionData?.error} aria-describedby={actionData?.error ? "form-error" : undefined} />
        </label>
        <FormError message={actionData?.error?.message} id="form-error" />
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t("reset.forgot.busy") : t("reset.forgot.submit")}
          </button>
        </div>
      </Form>
      <p>
        <Link to="/login">{t("reset.backToSignIn")}</Link>
      </p>
    </section>
  );
}
