import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/signup";
import { FormError } from "~/components/FormError";
import { NewPasswordField } from "~/components/NewPasswordField";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { EMAIL_MAX_CHARS, safeNextPath } from "~/shared/accounts";
import { LIMITS } from "~/shared/contract";
import { formFailure, formResult, formText, readForm, retryAfterHeaders } from "~/utils/errors.server";
import { currentUser, signedInHeaders } from "~/utils/session.server";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth.signUp.title") }];

/** A refusal for going too fast carries Retry-After on the page response too. */
export const headers: Route.HeadersFunction = retryAfterHeaders;

export async function loader({ request, context }: Route.LoaderArgs) {
  const next = safeNextPath(new URL(request.url).searchParams.get("next"), "/account");
  if (await currentUser(context, request)) throw redirect(next);
  return { next };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const field = (name: string) => formText(form, name);
  const values = { email: field("email"), displayName: field("displayName") };
  const next = safeNextPath(form.get("next"), "/account");
  const result = await formResult(async () => {
    const user = await context.services.signUp({ ...values, password: field("password") }, context.clientAddress);
    const session = await context.services.startSession(user, request.headers.get("user-agent"));
    // The browser that created the account is trusted for it: failed sign-ins elsewhere never lock it out.
    return { ...session, device: await context.services.trustDevice(user.id) };
  });
  if (!result.ok) return formFailure(result.error, { values });
  return redirect(next, { headers: signedInHeaders(context, result.value) });
}

export default function SignUp({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const error = actionData?.error;
  const fieldError = (name: string) => (error?.field === name ? error.message : null);
  const generalError = error && !["email", "password", "displayName"].includes(error.field ?? "") ? error.message : null;
  const loginHref = loaderData.next === "/account" ? "/login" : `/login?next=${encodeURIComponent(loaderData.next)}`;
  return (
    <section className="page narrow">
      <h1>{t("auth.signUp.title")}</h1>
      <p className="lede">{t("auth.signUp.lede")}</p>
      <Form method="post" className="stack account-form">
        <input type="hidden" name="next" value={loaderData.next} />
        <FormError message={generalError} id="form-error" />
        <label className="field">
          <span>{t("auth.email")}</span>
          <input
            name="email"
            type="email"
            autoComplete="email"
            required
            maxLength={EMAIL_MAX_CHARS}
            defaultValue={actionData?.values.email}
            aria-invalid={!!fieldError("email")}
            aria-describedby={fieldError("email") ? "email-error" : undefined}
          />
          <FormError message={fieldError("email")} id="email-error" />
        </label>
        <label className="field">
          <span>{t("auth.signUp.displayName")}</span>
          <input
            name="displayName"
            autoComplete="name"
            required
            maxLength={LIMITS.displayNameMaxChars}
            defaultValue={actionData?.values.displayName}
            aria-invalid={!!fieldError("displayName")}
            aria-describedby={fieldError("displayName") ? "displayName-error" : undefined}
          />
          <FormError message={fieldError("displayName")} id="displayName-error" />
        </label>
        <NewPasswordField label={t("auth.password")} advice={t("auth.newPassword.advice")} invalid={!!fieldError("password")}>
          <FormError message={fieldError("password")} id="password-error" />
        </NewPasswordField>
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t("auth.signUp.busy") : t("auth.signUp.submit")}
          </button>
        </div>
      </Form>
      <p>
        {t("auth.signUp.haveAccount")} <Link to={loginHref}>{t("auth.signUp.signIn")}</Link>
      </p>
    </section>
  );
}
