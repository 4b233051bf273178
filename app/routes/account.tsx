import { useEffect, useRef, useState } from "react";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/account";
import { FormError } from "~/components/FormError";
import { LocalTime } from "~/components/LocalTime";
import { API_TOKEN_NAME_MAX_CHARS } from "~/shared/accounts";
import { LIMITS } from "~/shared/contract";
import type { ErrorBody } from "~/shared/errors";
import { formFailure, formResult, formText, readForm } from "~/utils/errors.server";
import { clearedSessionCookie, requireUser } from "~/utils/session.server";

export const meta: Route.MetaFunction = () => [{ title: "Your account — Steelman" }];

const NOTICES: Record<string, string> = {
  password: "Your password was changed. Every other browser was signed out, your API tokens were revoked and the host links of your debates ended; this browser stays signed in.",
};

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  const [tokens, debates] = await Promise.all([context.services.listApiTokens(user.id), context.services.listMyDebates(user.id)]);
  const notice = NOTICES[new URL(request.url).searchParams.get("notice") ?? ""] ?? null;
  return { user, tokens, debates, notice };
}

type Intent = "displayName" | "createToken" | "revokeToken" | "signOutEverywhere";

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireUser(context, request, "/account");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "") as Intent;
  const text = (name: string) => formText(form, name);
  const fail = (error: ErrorBody, extra: Record<string, string> = {}) => formFailure(error, { intent, created: null, ...extra });
  switch (intent) {
    case "displayName": {
      const result = await formResult(() => context.services.updateAccount(user.id, { displayName: text("displayName") }));
      if (!result.ok) return fail(result.error);
      return { intent, error: null, created: null, saved: true };
    }
    case "createToken": {
      const result = await formResult(() => context.services.createApiToken(user.id, { name: text("name") }));
      if (!result.ok) return fail(result.error, { name: text("name") });
      return { intent, error: null, created: { token: result.value.token, name: result.value.apiToken.name } };
    }
    case "revokeToken": {
      const result = await formResult(() => context.services.revokeApiToken(user.id, text("tokenId")));
      if (!result.ok) return fail(result.error);
      return { intent, error: null, created: null, revoked: true };
    }
    case "signOutEverywhere": {
      await context.services.signOutEverywhere(user.id);
      return redirect("/login?notice=everywhere", { headers: { "Set-Cookie": clearedSessionCookie(context) } });
    }
    default:
      return fail({ code: "validation_failed", message: "Unknown action: reload the page and try again." });
  }
}

/** The new token, shown once, with a copy button (without JavaScript the field can be selected and copied). */
function NewToken({ token, name }: { token: string; name: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="callout" role="status">
      <p>
        <strong>
          New token “<bdi>{name}</bdi>”.
        </strong>{" "}
        Copy it now: it is shown only once. Scripts send it as <code>Authorization: Bearer …</code>.
      </p>
      <div className="join-link">
        <label className="visually-hidden" htmlFor="new-token">
          New API token
        </label>
        <input id="new-token" ref={ref} readOnly value={token} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
        <button
          type="button"
          className="button"
          onClick={() =>
            navigator.clipboard.writeText(token).then(
              () => setCopied("copied"),
              () => setCopied("failed"),
            )
          }
        >
          Copy
        </button>
      </div>
      <p aria-live="polite" className="muted">
        {copied === "copied" ? "Copied to the clipboard." : copied === "failed" ? "The browser did not allow copying: select the token and copy it yourself." : ""}
      </p>
    </div>
  );
}

export default function Account({ loaderData, actionData }: Route.ComponentProps) {
  const { user, tokens, debates, notice } = loaderData;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const errorFor = (intent: Intent) => (actionData?.intent === intent ? actionData.error?.message : null);
  return (
    <section className="page narrow account">
      <h1>Your account</h1>
      <p className="lede">
        Signed in as <bdi>{user.displayName}</bdi> (<bdi>{user.email}</bdi>).
      </p>
      {notice ? (
        <p className="callout" role="status">
          {notice}
        </p>
      ) : null}

      <h2 id="debates-heading">Your debates</h2>
      {debates.length === 0 ? (
        <p className="empty">
          You have not started a debate yet. <Link to="/debates/new">Start one from an article.</Link>
        </p>
      ) : (
        <ul className="debate-list" aria-labelledby="debates-heading">
          {debates.map((d) => (
            <li key={d.id}>
              <Link to={d.url}>
                <bdi>{d.title}</bdi>
              </Link>{" "}
              <span className="muted">
                ({d.status}
                {d.role === "facilitator" ? ", co-host" : ""})
              </span>{" "}
              <Link to={d.editUrl} aria-label={`Review “${d.title}”`}>
                Review
              </Link>{" "}
              <LocalTime iso={d.createdAt} format="date" />
            </li>
          ))}
        </ul>
      )}

      <h2>Display name</h2>
      <Form method="post" className="inline-form account-form">
        <input type="hidden" name="intent" value="displayName" />
        <label className="field">
          <span>Name shown to participants in debates you start</span>
          <input name="displayName" autoComplete="name" required maxLength={LIMITS.displayNameMaxChars} defaultValue={user.displayName} key={user.displayName} aria-invalid={!!errorFor("displayName")} />
        </label>
        <FormError message={errorFor("displayName")} />
        {actionData && "saved" in actionData ? <p role="status">Saved.</p> : null}
        <button type="submit" className="button" disabled={busy}>
          Save name
        </button>
      </Form>

      <h2 id="tokens-heading">API tokens</h2>
      <p>
        Scripts use the JSON API with a token (see <code>docs/api.md</code>). A token acts as you: it can create debates and run the ones you host. Revoke any token you no longer use.
      </p>
      {actionData?.created ? <NewToken token={actionData.created.token} name={actionData.created.name} key={actionData.created.token} /> : null}
      <Form method="post" className="inline-form account-form">
        <input type="hidden" name="intent" value="createToken" />
        <label className="field">
          <span>Token name</span>
          <input name="name" required maxLength={API_TOKEN_NAME_MAX_CHARS} placeholder="e.g. grading script" autoComplete="off" aria-invalid={!!errorFor("createToken")} />
        </label>
        <FormError message={errorFor("createToken")} />
        <button type="submit" className="button" disabled={busy}>
          Create token
        </button>
      </Form>
      <FormError message={errorFor("revokeToken")} />
      {tokens.length === 0 ? (
        <p className="empty">No API tokens yet.</p>
      ) : (
        <table className="token-table" aria-labelledby="tokens-heading">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>
                  <bdi>{t.name}</bdi>
                </td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>
                  <LocalTime iso={t.createdAt} format="date" />
                </td>
                <td>{t.lastUsedAt ? <LocalTime iso={t.lastUsedAt} format="date" /> : <span className="muted">never</span>}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="revokeToken" />
                    <input type="hidden" name="tokenId" value={t.id} />
                    <button type="submit" className="button button-small button-danger" disabled={busy} aria-label={`Revoke token ${t.name}`}>
                      Revoke
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Password</h2>
      <p>
        <Link to="/account/password">Change your password</Link>. Changing it signs out every other browser, revokes your API tokens and ends the host links of your debates.
      </p>

      <h2>Sessions</h2>
      <p>Signed in on a shared or lost device? Sign out everywhere: every browser, this one included, will have to sign in again. API tokens keep working.</p>
      <Form method="post">
        <input type="hidden" name="intent" value="signOutEverywhere" />
        <button type="submit" className="button button-danger" disabled={busy}>
          Sign out everywhere
        </button>
      </Form>
    </section>
  );
}
