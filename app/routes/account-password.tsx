import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/account-password";
import { FormError } from "~/components/FormError";
import { NewPasswordField } from "~/components/NewPasswordField";
import { PASSWORD_MAX_CHARS } from "~/shared/accounts";
import { formFailure, formResult, formText, readForm, retryAfterHeaders } from "~/utils/errors.server";
import { requireUser, signedInHeaders } from "~/utils/session.server";

export const meta: Route.MetaFunction = () => [{ title: "Change your password — Steelman" }];

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
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const error = actionData?.error;
  const fieldError = (name: string) => (error?.field === name ? error.message : null);
  const generalError = error && !["currentPassword", "newPassword"].includes(error.field ?? "") ? error.message : null;
  return (
    <section className="page narrow">
      <h1>Change your password</h1>
      <p className="lede">
        Changing your password signs out every other browser, revokes your API tokens and ends the host links of your debates. This browser stays signed in, and we send a note to{" "}
        <bdi>{loaderData.email}</bdi>.
      </p>
      <Form method="post" className="stack account-form">
        {/* For password managers: which account this password belongs to. */}
        <input type="hidden" name="username" autoComplete="username" value={loaderData.email} />
        <FormError message={generalError} id="form-error" />
        <label className="field">
          <span>Current password</span>
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
        <NewPasswordField label="New password" name="newPassword" advice="A few unrelated words make a strong one." invalid={!!fieldError("newPassword")}>
          <FormError message={fieldError("newPassword")} id="password-error" />
        </NewPasswordField>
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Changing your password…" : "Change password"}
          </button>
        </div>
      </Form>
      <p>
        Forgot your current password? <Link to="/forgot-password">Reset it by email</Link>. <Link to="/account">Back to your account</Link>
      </p>
    </section>
  );
}
