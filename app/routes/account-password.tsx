import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/account-password";
import { FormError } from "~/components/FormError";
import { NewPasswordField } from "~/components/NewPasswordField";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { PASSWORD_MAX_CHARS } from "~/shared/accounts";
import { formFailure, formResult, formText, readForm, retryAfterHeaders } from "~/utils/errors.server";
import { requireUser, signedInHeaders } from "~/utils/session.server";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "account.password.title") }];

/** A refusal for going too fast carries Retry-After on the page response too. */
export const headers: Route.HeadersFunction = retryAfterHeaders;

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  return { email: user.email };
}

/**
 * Changes the password (the current one required), which ends every session,
 * API token, trusted browser and host link of the account
 * (services.changePassword); this browser gets a new session and goes back to
 * the account page with a notice.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireUser(context, request, "/account/password");
  const form = await readForm(request);
  const input = { currentPassword: formText(form, "currentPassword"), newPassword: formText(form, "newPassword") };
  const result = await formResult(() => context.services.changePassword(user.id, input, { address: context.clientAddress, userAgent: request.headers.get("user-agent") }));
  if (!result.ok) return formFailure(result.error, {});
  return redirect("/account?notice=password", { headers: signedInHeaders(context, result.value) });
}

export default function ChangePassword({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const [ledeBefore, ledeAfter = ""] = t("account.password.lede", { email: "\u0000" }).split("\u0000");
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const error = actionData?.error;
  const fieldError = (name: string) => (error?.field === name ? error.message : null);
  const generalError = error && !["currentPassword", "newPassword"].includes(error.field ?? "") ? error.message : null;
  return (
    <section className="page narrow">
      <h1>{t("account.password.title")}</h1>
      <p className="lede">
        {ledeBefore}
        <bdi>{loaderData.email}</bdi>
        {ledeAfter}
      </p>
      <Form method="post" className="stack account-form">
        {/* For password managers: which account this password belongs to. */}
        <input type="hidden" name="username" autoComplete="username" value={loaderData.email} />
        <FormError message={generalError} id="form-error" />
        <label className="field">
          <span>{t("account.password.current")}</span>
          <input
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            maxLength={PASSWORD_MAX_CHARS}
            aria-invalid={!!fieldError("currentPassword")}
            aria-describedby={fieldError("currentPassword") ? "current-password-error" : undefined}
          />
          <FormError message={fieldError("currentPassword")} id="current-password-error" />
        </label>
        <NewPasswordField label={t("account.password.new")} name="newPassword" advice={t("auth.newPassword.advice")} invalid={!!fieldError("newPassword")}>
          <FormError message={fieldError("newPassword")} id="password-error" />
        </NewPasswordField>
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t("account.password.busy") : t("account.password.submit")}
          </button>
        </div>
      </Form>
      <p>
        {t("account.password.forgot")} <Link to="/forgot-password">{t("account.password.resetByEmail")}</Link>. <Link to="/account">{t("account.password.back")}</Link>
      </p>
    </section>
  );
}
