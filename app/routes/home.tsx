import { Link } from "react-router";
import { LocalTime } from "~/components/LocalTime";
import { JoinByCodeForm } from "~/components/JoinByCodeForm";
import type { Route } from "./+types/home";

export const meta: Route.MetaFunction = () => [{ title: "Steelman — live structured debate" }];

export async function loader({ context }: Route.LoaderArgs) {
  return { debates: await context.services.listPublishedDebates() };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { debates } = loaderData;
  return (
    <section className="page narrow">
      <h1>Steelman</h1>
      <p className="lede">
        Paste an article. Steelman finds its thesis, splits it into propositions, and lets your group argue for and against each one, live.
      </p>
      <p>
        <Link to="/debates/new" className="button button-primary">
          Start a new debate
        </Link>
      </p>
      <section className="callout join-box" aria-labelledby="join-heading">
        <h2 id="join-heading">Join with a code</h2>
        <p className="muted">Got a code from your teacher or facilitator? Type it with the name others will see.</p>
        <JoinByCodeForm compact />
      </section>
      <h2>Open debates</h2>
      {debates.length === 0 ? (
        <p className="empty">No public debates are open yet. Start one from an article, or join one with its code.</p>
      ) : (
        <ul className="debate-list">
          {debates.map((d) => (
            <li key={d.id}>
              <Link to={d.url}>
                <bdi>{d.title}</bdi>
              </Link>{" "}
              <LocalTime iso={d.createdAt} format="date" />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
