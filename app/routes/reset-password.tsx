import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/reset-password";
import { FormError } from "~/components/FormError";
import { NewPasswordField } from "~/components/NewPasswordField";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { formFailure, formResult, formText, readForm } from "~/utils/errors.server";
import { clearedSessionCookie } from "~/utils/session.server";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "reset.title") }, { name: "referrer", content: "no-referrer" }];

export async function loader({ params, context }: Route.LoaderArgs) {
  return { valid: await context.services.passwordResetIsValid(params.token) };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const password = formText(form, "password");
  const result = await formResult(() => context.services.resetPassword(params.token, { password }));
  if (!result.ok) return formFailure(result.error, {});
  // Every session of the account has ended, this browser's included.
  return redirect("/login?notice=reset", { headers: { "Set-Cookie": clearedSessionCookie(context) } });
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  if (!loaderData.valid) {
    return (
      <section className="page narrow">
        <h1>{t("reset.dead.title")}</h1>
        <p role="alert">{t("reset.dead.body")}</p>
        <p>
          <Link to="/forgot-password" className="button button-primary">
            {t("reset.dead.askAgain")}
          </Link>
        </p>
      </section>
    );
  }
  const error = actionData?.error;
  return (
    <section className="page narrow">
      <h1>{t("reset.title")}</h1>
      <p className="lede">{t("reset.lede")}</p>
      <Form method="post" className="stack account-form">
        <NewPasswordField label={t("reset.newPassword")} invalid={!!error} />
        <FormError message={error?.message} id="password-error" />
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t("reset.busy") : t("reset.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}
