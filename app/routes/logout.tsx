import { Form, redirect } from "react-router";
import type { Route } from "./+types/logout";
import { clearedSessionCookie, readSessionToken } from "~/utils/session.server";

export const meta: Route.MetaFunction = () => [{ title: "Sign out — Steelman" }];

/** Ends this browser's session (the row in PostgreSQL, then the cookie). */
export async function action({ request, context }: Route.ActionArgs) {
  await context.services.signOut(readSessionToken(context, request));
  return redirect("/", { headers: { "Set-Cookie": clearedSessionCookie(context) } });
}

/** Signing out changes state, so a GET only offers the button. */
export default function Logout() {
  return (
    <section className="page narrow">
      <h1>Sign out</h1>
      <Form method="post">
        <button type="submit" className="button button-primary">
          Sign out of Steelman in this browser
        </button>
      </Form>
    </section>
  );
}
