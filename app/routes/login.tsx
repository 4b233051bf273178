import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/login";
import { FormError } from "~/components/FormError";
import { pageTitle } from "~/i18n/meta";
import { useT, type MessageKey } from "~/i18n/react";
import { EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS, safeNextPath } from "~/shared/accounts";
import { formFailure, formResult, formText, readForm, retryAfterHeaders } from "~/utils/errors.server";
import { currentUser, readDeviceToken, signedInHeaders } from "~/utils/session.server";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth.signIn.title") }];

/** A refusal for going too fast carries Retry-After on the page response too. */
export const headers: Route.HeadersFunction = retryAfterHeaders;

/** The notices another page sends here (`?notice=`), by their catalogue message. */
const NOTICES: Record<string, MessageKey> = {
  reset: "auth.notice.reset",
  everywhere: "auth.notice.everywhere",
};

export async function loader({ request, context }: Route.LoaderArgs) {
  const params = new URL(request.url).searchParams;
  const next = safeNextPath(params.get("next"));
  if (await currentUser(context, request)) throw redirect(next);
  const notice = NOTICES[params.get("notice") ?? ""] ?? null;
  return { next, notice };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const email = formText(form, "email");
  const password = formText(form, "password");
  const next = safeNextPath(form.get("next"));
  const client = { address: context.clientAddress, userAgent: request.headers.get("user-agent"), deviceToken: readDeviceToken(context, request) };
  const result = await formResult(() => context.services.signIn({ email, password }, client));
  if (!result.ok) return formFailure(result.error, { email });
  return redirect(next, { headers: signedInHeaders(context, result.value) });
}

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const signupHref = loaderData.next === "/" ? "/signup" : `/signup?next=${encodeURIComponent(loaderData.next)}`;
  return (
    <section className="page narrow">
      <h1>{t("auth.signIn.title")}</h1>
      {loaderData.next.startsWith("/debates/new") ? <p className="lede">{t("auth.signIn.needAccount")}</p> : null}
      {loaderData.notice ? (
        <p className="callout" role="status">
          {t(loaderData.notice)}
        </p>
      ) : null}
      <Form method="post" className="stack account-form">
        <input type="hidden" name="next" value={loaderData.next} />
        <FormError message={actionData?.error.message} id="form-error" />
        <label className="field">
          <span>{t("auth.email")}</span>
          <input name="email" type="email" autoComplete="email" required maxLength={EMAIL_MAX_CHARS} defaultValue={actionData?.email} aria-invalid={!!actionData?.error} aria-describedby={actionData?.error ? "form-error" : undefined} />
        </label>
        <label className="field">
          <span>{t("auth.password")}</span>
          <input name="password" type="password" autoComplete="current-password" required maxLength={PASSWORD_MAX_CHARS} aria-invalid={!!actionData?.error} aria-describedby={actionData?.error ? "form-error" : undefined} />
        </label>
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t("auth.signIn.busy") : t("auth.signIn.title")}
          </button>
        </div>
      </Form>
      <p>
        <Link to="/forgot-password">{t("auth.signIn.forgot")}</Link>
      </p>
      <p>
        {t("auth.signIn.newHere")} <Link to={signupHref}>{t("auth.signIn.createAccount")}</Link>
      </p>
    </section>
  );
}
