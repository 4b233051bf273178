import { useEffect, useRef, useState } from "react";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/account";
import { FormError } from "~/components/FormError";
import { LocalTime } from "~/components/LocalTime";
import { pageTitle } from "~/i18n/meta";
import { useT, type MessageKey } from "~/i18n/react";
import { API_TOKEN_NAME_MAX_CHARS } from "~/shared/accounts";
import { LIMITS } from "~/shared/contract";
import type { ErrorBody } from "~/shared/errors";
import { formFailure, formResult, formText, readForm } from "~/utils/errors.server";
import { serverMessage } from "~/i18n/errors.server";
import { clearedSessionCookie, requireUser } from "~/utils/session.server";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "account.title") }];

/** The notices another page sends here (`?notice=`), by their catalogue message. */
const NOTICES: Record<string, MessageKey> = {
  password: "account.notice.password",
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
      return fail({ code: "validation_failed", message: serverMessage("account.error.unknownAction") });
  }
}

/** The new token, shown once, with a copy button (without JavaScript the field can be selected and copied). */
function NewToken({ token, name }: { token: string; name: string }) {
  const t = useT();
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const [newBefore, newAfter = ""] = t("account.token.new", { name: "\u0000" }).split("\u0000");
  const [copyBefore, copyAfter = ""] = t("account.token.copyNow", { header: "\u0000" }).split("\u0000");
  return (
    <div className="callout" role="status">
      <p>
        <strong>
          {newBefore}
          <bdi>{name}</bdi>
          {newAfter}
        </strong>{" "}
        {copyBefore}
        <code>
          <bdi>Authorization: Bearer …</bdi>
        </code>
        {copyAfter}
      </p>
      <div className="join-link">
        <label className="visually-hidden" htmlFor="new-token">
          {t("account.token.field")}
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
          {t("account.token.copy")}
        </button>
      </div>
      <p aria-live="polite" className="muted">
        {copied === "copied" ? t("account.token.copied") : copied === "failed" ? t("account.token.copyFailed") : ""}
      </p>
    </div>
  );
}

export default function Account({ loaderData, actionData }: Route.ComponentProps) {
  const { user, tokens, debates, notice } = loaderData;
  const t = useT();
  const [signedInBefore, signedInMiddle = "", signedInAfter = ""] = t("account.signedInAs", { name: "\u0000", email: "\u0001" }).split(/[\u0000\u0001]/);
  const [tokensBefore, tokensAfter = ""] = t("account.tokensIntro", { docs: "\u0000" }).split("\u0000");
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const errorFor = (intent: Intent) => (actionData?.intent === intent ? actionData.error?.message : null);
  return (
    <section className="page narrow account">
      <h1>{t("account.title")}</h1>
      <p className="lede">
        {signedInBefore}
        <bdi>{user.displayName}</bdi>
        {signedInMiddle}
        <bdi>{user.email}</bdi>
        {signedInAfter}
      </p>
      {notice ? (
        <p className="callout" role="status">
          {t(notice)}
        </p>
      ) : null}

      <h2 id="debates-heading">{t("account.debates")}</h2>
      {debates.length === 0 ? (
        <p className="empty">
          {t("account.noDebates")} <Link to="/debates/new">{t("account.startOne")}</Link>
        </p>
      ) : (
        <ul className="debate-list" aria-labelledby="debates-heading">
          {debates.map((d) => (
            <li key={d.id}>
              <Link to={d.url}>
                <bdi>{d.title}</bdi>
              </Link>{" "}
              <span className="muted">{t("account.debateState", { status: d.status, role: d.role })}</span>{" "}
              <Link to={d.editUrl} aria-label={t("account.reviewLabel", { title: d.title })}>
                {t("account.review")}
              </Link>{" "}
              <LocalTime iso={d.createdAt} format="date" />
            </li>
          ))}
        </ul>
      )}

      <h2>{t("account.displayName")}</h2>
      <Form method="post" className="inline-form account-form">
        <input type="hidden" name="intent" value="displayName" />
        <label className="field">
          <span>{t("account.displayNameLabel")}</span>
          <input name="displayName" autoComplete="name" required maxLength={LIMITS.displayNameMaxChars} defaultValue={user.displayName} key={user.displayName} aria-invalid={!!errorFor("displayName")} />
        </label>
        <FormError message={errorFor("displayName")} />
        {actionData && "saved" in actionData ? <p role="status">{t("account.saved")}</p> : null}
        <button type="submit" className="button" disabled={busy}>
          {t("account.saveName")}
        </button>
      </Form>

      <h2 id="tokens-heading">{t("account.tokens")}</h2>
      <p>
        {tokensBefore}
        <code>
          <bdi>docs/api.md</bdi>
        </code>
        {tokensAfter}
      </p>
      {actionData?.created ? <NewToken token={actionData.created.token} name={actionData.created.name} key={actionData.created.token} /> : null}
      <Form method="post" className="inline-form account-form">
        <input type="hidden" name="intent" value="createToken" />
        <label className="field">
          <span>{t("account.token.name")}</span>
          <input name="name" required maxLength={API_TOKEN_NAME_MAX_CHARS} placeholder={t("account.token.placeholder")} autoComplete="off" aria-invalid={!!errorFor("createToken")} />
        </label>
        <FormError message={errorFor("createToken")} />
        <button type="submit" className="button" disabled={busy}>
          {t("account.token.create")}
        </button>
      </Form>
      <FormError message={errorFor("revokeToken")} />
      {tokens.length === 0 ? (
        <p className="empty">{t("account.token.none")}</p>
      ) : (
        // A region of its own that scrolls sideways on a narrow screen, reachable with the keyboard.
        <div className="table-scroll" role="region" aria-labelledby="tokens-heading" tabIndex={0}>
        <table className="token-table" aria-labelledby="tokens-heading">
          <thead>
            <tr>
              <th scope="col">{t("account.token.colName")}</th>
              <th scope="col">{t("account.token.colPrefix")}</th>
              <th scope="col">{t("account.token.colCreated")}</th>
              <th scope="col">{t("account.token.colLastUsed")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("account.token.colActions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>
                  <bdi>{token.name}</bdi>
                </td>
                <td>
                  <code>
                    <bdi>{token.prefix}…</bdi>
                  </code>
                </td>
                <td>
                  <LocalTime iso={token.createdAt} format="date" />
                </td>
                <td>{token.lastUsedAt ? <LocalTime iso={token.lastUsedAt} format="date" /> : <span className="muted">{t("account.token.never")}</span>}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="revokeToken" />
                    <input type="hidden" name="tokenId" value={token.id} />
                    <button type="submit" className="button button-small button-danger" disabled={busy} aria-label={t("account.token.revokeLabel", { name: token.name })}>
                      {t("account.token.revoke")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}

      <h2>{t("account.passwordHeading")}</h2>
      <p>
        <Link to="/account/password">{t("account.changePassword")}</Link>. {t("account.passwordNote")}
      </p>

      <h2>{t("account.sessions")}</h2>
      <p>{t("account.sessionsIntro")}</p>
      <Form method="post">
        <input type="hidden" name="intent" value="signOutEverywhere" />
        <button type="submit" className="button button-danger" disabled={busy}>
          {t("account.signOutEverywhere")}
        </button>
      </Form>
    </section>
  );
}
