import { Link } from "react-router";
import { LocalTime } from "~/components/LocalTime";
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
      <h2>Open debates</h2>
      {debates.length === 0 ? (
        <p className="empty">No debates are open yet. Start one from an article.</p>
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
