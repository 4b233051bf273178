import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/forgot-password";
import { FormError } from "~/components/FormError";
import { EMAIL_MAX_CHARS } from "~/shared/accounts";
import { formFailure, formResult, formText, readForm, retryAfterHeaders } from "~/utils/errors.server";

export const meta: Route.MetaFunction = () => [{ title: "Forgot your password? — Steelman" }];

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
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  if (actionData?.sent) {
    return (
      <section className="page narrow">
        <h1>Check your email</h1>
        <p className="callout" role="status">
          If an account exists for <bdi>{actionData.email.trim()}</bdi>, we sent it a link to choose a new password. The link works once, within an hour.
        </p>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="page narrow">
      <h1>Forgot your password?</h1>
      <p className="lede">Enter the email address of your facilitator account and we will send you a link to choose a new password.</p>
      <Form method="post" className="stack account-form">
        <label className="field">
          <span>Email address</span>
          <input name="email" type="email" autoComplete="email" required maxLength={EMAIL_MAX_CHARS} defaultValue={actionData?.email} aria-invalid={!!actionData?.error} aria-describedby={actionData?.error ? "form-error" : undefined} />
        </label>
        <FormError message={actionData?.error?.message} id="form-error" />
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Sending…" : "Send me a reset link"}
          </button>
        </div>
      </Form>
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </section>
  );
}
