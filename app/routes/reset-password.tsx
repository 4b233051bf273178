import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/reset-password";
import { FormError } from "~/components/FormError";
import { NewPasswordField } from "~/components/NewPasswordField";
import { formFailure, formResult, formText, readForm } from "~/utils/errors.server";
import { clearedSessionCookie } from "~/utils/session.server";

export const meta: Route.MetaFunction = () => [{ title: "Choose a new password — Steelman" }, { name: "referrer", content: "no-referrer" }];

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
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  if (!loaderData.valid) {
    return (
      <section className="page narrow">
        <h1>This link no longer works</h1>
        <p role="alert">A reset link works once, within an hour of asking for it. This one has expired or was already used.</p>
        <p>
          <Link to="/forgot-password" className="button button-primary">
            Ask for a new link
          </Link>
        </p>
      </section>
    );
  }
  const error = actionData?.error;
  return (
    <section className="page narrow">
      <h1>Choose a new password</h1>
      <p className="lede">Choosing a new password signs you out in every browser, revokes your API tokens and ends the host links of your debates: sign in again afterwards.</p>
      <Form method="post" className="stack account-form">
        <NewPasswordField label="New password" invalid={!!error} />
        <FormError message={error?.message} id="password-error" />
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Saving…" : "Save the new password"}
          </button>
        </div>
      </Form>
    </section>
  );
}
