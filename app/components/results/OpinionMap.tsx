/**
 * The opinion map (issue 11): each participant a dot at their place in the
 * 2-D opinion space (Polis PCA, server/domain/opinion-groups), each group
 * outlined by its convex hull and drawn with its own shape as well as colour
 * (readable without colour), "you are here" for the viewer, and the
 * propositions' directions as small marks whose tooltip is their text. No
 * names unless `names` is given (facilitators of the debate only).
 */
import { useContentLanguage } from "~/i18n/content-language";
import { useFormat, useT, type Translate } from "~/i18n/react";

export interface MapDot {
  x: number;
  y: number;
  groupId: number | null;
  participantId?: string;
}

/**
 * The groups' colours as CSS custom properties (app/app.css): darker in the light theme, lighter in
 * the dark one, each at least 3:1 against the map's background (WCAG 2.2, 1.4.11). Used in `style`,
 * since SVG presentation attributes do not resolve `var()`.
 */
export const GROUP_COLOURS = [0, 1, 2, 3, 4].map((i) => `var(--group-${i})`);
export const GROUP_SHAPES = ["circle", "square", "triangle", "diamond", "cross"] as const;
/** A group's name in the page's language ("Group A" for id 0). */
export const groupName = (t: Translate, id: number) => t("results.group.name", { letter: String.fromCharCode(65 + id) });

/** Convex hull (Andrew's monotone chain), counter-clockwise. */
function hull(points: [number, number][]): [number, number][] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: [number, number][] = [];
  for (const q of [...p].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

function Marker({ shape, x, y, r, fill }: { shape: (typeof GROUP_SHAPES)[number] | "none"; x: number; y: number; r: number; fill: string }) {
  switch (shape) {
    case "square":
      return <rect x={x - r} y={y - r} width={2 * r} height={2 * r} style={{ fill }} />;
    case "triangle":
      return <polygon points={`${x},${y - r * 1.2} ${x - r * 1.1},${y + r * 0.8} ${x + r * 1.1},${y + r * 0.8}`} style={{ fill }} />;
    case "diamond":
      return <polygon points={`${x},${y - r * 1.3} ${x + r * 1.3},${y} ${x},${y + r * 1.3} ${x - r * 1.3},${y}`} style={{ fill }} />;
    case "cross":
      return <path d={`M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}`} style={{ stroke: fill }} strokeWidth={2} />;
    case "circle":
      return <circle cx={x} cy={y} r={r} style={{ fill }} />;
    default:
      return <circle cx={x} cy={y} r={r * 0.8} fill="none" className="map-ungrouped" strokeWidth={1} />;
  }
}

export function OpinionMap({
  dots,
  you,
  propositions,
  propositionText,
  names,
  width = 560,
  height = 380,
}: {
  dots: MapDot[];
  you: { x: number; y: number; groupId: number | null } | null | undefined;
  propositions: { propositionId: string; x: number; y: number }[];
  propositionText: (id: string) => string | undefined;
  names?: Map<string, string>;
  width?: number;
  height?: number;
}) {
  const pad = 36;
  const xs = dots.map((d) => d.x).concat(propositions.map((p) => p.x));
  const ys = dots.map((d) => d.y).concat(propositions.map((p) => p.y));
  const span = (v: number[]) => {
    const lo = Math.min(...v, 0);
    const hi = Math.max(...v, 0);
    return hi - lo > 1e-9 ? [lo, hi] : [lo - 1, hi + 1];
  };
  const [x0, x1] = span(xs);
  const [y0, y1] = span(ys);
  const sx = (x: number) => pad + ((x - x0!) / (x1! - x0!)) * (width - 2 * pad);
  const sy = (y: number) => height - pad - ((y - y0!) / (y1! - y0!)) * (height - 2 * pad);
  const groups = [...new Set(dots.map((d) => d.groupId).filter((g): g is number => g !== null))].sort((a, b) => a - b);
  const r = dots.length > 400 ? 2.2 : dots.length > 60 ? 3.2 : 5;
  const t = useT();
  const f = useFormat();
  const contentLanguage = useContentLanguage();
  const countIn = (g: number) => dots.filter((d) => d.groupId === g).length;
  const description = [
    t("results.map.desc", { count: dots.length, groups: f.list(groups.map((g) => t("results.map.descGroup", { group: groupName(t, g), shape: GROUP_SHAPES[g % GROUP_SHAPES.length]!, count: countIn(g) })), { type: "unit" }) }),
    ...(you ? [you.groupId === null ? t("results.map.descYouNone") : t("results.map.descYou", { group: groupName(t, you.groupId) })] : []),
  ].join(" ");
  return (
    <figure className="opinion-map">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby="opinion-map-title opinion-map-desc" data-testid="opinion-map">
        <title id="opinion-map-title">{t("results.map.title")}</title>
        <desc id="opinion-map-desc">{description}</desc>
        <rect x={0} y={0} width={width} height={height} className="map-background" />
        <line x1={sx(0)} x2={sx(0)} y1={pad / 2} y2={height - pad / 2} className="map-axis" />
        <line y1={sy(0)} y2={sy(0)} x1={pad / 2} x2={width - pad / 2} className="map-axis" />
        {groups.map((g) => {
          const h = hull(dots.filter((d) => d.groupId === g).map((d) => [sx(d.x), sy(d.y)] as [number, number]));
          const colour = GROUP_COLOURS[g % GROUP_COLOURS.length]!;
          if (h.length < 3) {
            // One or two distinct places (people who voted alike): an ellipse hugging them.
            const [a, b] = [h[0]!, h[h.length - 1]!];
            const cx = (a[0] + b[0]) / 2;
            const cy = (a[1] + b[1]) / 2;
            const angle = (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI;
            const rx = Math.hypot(b[0] - a[0], b[1] - a[1]) / 2 + 14;
            return (
              <ellipse key={`hull-${g}`} cx={cx} cy={cy} rx={rx} ry={14} transform={`rotate(${angle} ${cx} ${cy})`} style={{ fill: colour, stroke: colour }} fillOpacity={0.08} strokeWidth={2} strokeDasharray={g % 2 ? "6 3" : undefined} />
            );
          }
          return <polygon key={`hull-${g}`} points={h.map(([x, y]) => `${x},${y}`).join(" ")} style={{ fill: colour, stroke: colour }} fillOpacity={0.08} strokeWidth={2} strokeDasharray={g % 2 ? "6 3" : undefined} strokeLinejoin="round" />;
        })}
        {propositions.map((p) => (
          <g key={p.propositionId} className="map-proposition" tabIndex={0}>
            <title lang={propositionText(p.propositionId) === undefined ? undefined : contentLanguage}>
              {propositionText(p.propositionId) === undefined ? t("results.map.directionHidden") : t("results.map.direction", { text: propositionText(p.propositionId)! })}
            </title>
            <line x1={sx(0)} y1={sy(0)} x2={sx(p.x)} y2={sy(p.y)} className="map-direction" strokeWidth={0.6} />
            <circle cx={sx(p.x)} cy={sy(p.y)} r={2} className="map-direction-end" />
          </g>
        ))}
        {dots.map((d, i) => {
          const colour = d.groupId === null ? "var(--map-ungrouped)" : GROUP_COLOURS[d.groupId % GROUP_COLOURS.length]!;
          const name = d.participantId && names ? names.get(d.participantId) : undefined;
          return (
            <g key={d.participantId ?? i}>
              {name ? <title>{d.groupId === null ? name : f.list([name, groupName(t, d.groupId)], { type: "unit" })}</title> : null}
              <Marker shape={d.groupId === null ? "none" : GROUP_SHAPES[d.groupId % GROUP_SHAPES.length]!} x={sx(d.x)} y={sy(d.y)} r={r} fill={colour} />
            </g>
          );
        })}
        {you ? (
          <g data-testid="you-are-here">
            <circle cx={sx(you.x)} cy={sy(you.y)} r={r + 7} fill="none" className="map-you-ring" strokeWidth={2.5} />
            <text x={sx(you.x) > width - 130 ? sx(you.x) - r - 10 : sx(you.x) + r + 10} y={sy(you.y) < 30 ? sy(you.y) + r + 22 : sy(you.y) - r - 6} textAnchor={sx(you.x) > width - 130 ? "end" : "start"} fontSize={14} fontWeight={700} className="map-you-label" strokeWidth={3} paintOrder="stroke">
              {t("results.map.youAreHere")}
            </text>
          </g>
        ) : null}
      </svg>
      <figcaption>
        <ul className="map-legend">
          {groups.map((g) => (
            <li key={g}>
              <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
                <Marker shape={GROUP_SHAPES[g % GROUP_SHAPES.length]!} x={7} y={7} r={5} fill={GROUP_COLOURS[g % GROUP_COLOURS.length]!} />
              </svg>{" "}
              {t("results.map.legendGroup", { group: groupName(t, g), count: countIn(g) })}
            </li>
          ))}
          {dots.some((d) => d.groupId === null) ? <li>{t("results.map.legendUngrouped")}</li> : null}
          <li>{t("results.map.legendDirections")}</li>
        </ul>
      </figcaption>
    </figure>
  );
}
