/**
 * The opinion map (issue 11): each participant a dot at their place in the
 * 2-D opinion space (Polis PCA, server/domain/opinion-groups), each group
 * outlined by its convex hull and drawn with its own shape as well as colour
 * (readable without colour), "you are here" for the viewer, and the
 * propositions' directions as small marks whose tooltip is their text. No
 * names unless `names` is given (facilitators of the debate only).
 */
export interface MapDot {
  x: number;
  y: number;
  groupId: number | null;
  participantId?: string;
}

export const GROUP_COLOURS = ["#1f5fbf", "#c2571a", "#6b3fa0", "#0f7b6c", "#a3195b"];
export const GROUP_SHAPES = ["circle", "square", "triangle", "diamond", "cross"] as const;
export const groupName = (id: number) => `Group ${String.fromCharCode(65 + id)}`;

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
      return <rect x={x - r} y={y - r} width={2 * r} height={2 * r} fill={fill} />;
    case "triangle":
      return <polygon points={`${x},${y - r * 1.2} ${x - r * 1.1},${y + r * 0.8} ${x + r * 1.1},${y + r * 0.8}`} fill={fill} />;
    case "diamond":
      return <polygon points={`${x},${y - r * 1.3} ${x + r * 1.3},${y} ${x},${y + r * 1.3} ${x - r * 1.3},${y}`} fill={fill} />;
    case "cross":
      return <path d={`M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}`} stroke={fill} strokeWidth={2} />;
    case "circle":
      return <circle cx={x} cy={y} r={r} fill={fill} />;
    default:
      return <circle cx={x} cy={y} r={r * 0.8} fill="none" stroke="#888" strokeWidth={1} />;
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
  return (
    <figure className="opinion-map">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby="opinion-map-title opinion-map-desc" data-testid="opinion-map">
        <title id="opinion-map-title">Opinion map</title>
        <desc id="opinion-map-desc">
          {`${dots.length} participants placed by how they voted; ${groups.map((g) => `${groupName(g)} (${GROUP_SHAPES[g % GROUP_SHAPES.length]}s): ${dots.filter((d) => d.groupId === g).length}`).join(", ")}${you ? `; you are in ${you.groupId === null ? "no group yet" : groupName(you.groupId)}` : ""}.`}
        </desc>
        <rect x={0} y={0} width={width} height={height} fill="#fff" />
        <line x1={sx(0)} x2={sx(0)} y1={pad / 2} y2={height - pad / 2} stroke="#e5e7eb" />
        <line y1={sy(0)} y2={sy(0)} x1={pad / 2} x2={width - pad / 2} stroke="#e5e7eb" />
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
              <ellipse key={`hull-${g}`} cx={cx} cy={cy} rx={rx} ry={14} transform={`rotate(${angle} ${cx} ${cy})`} fill={colour} fillOpacity={0.08} stroke={colour} strokeWidth={2} strokeDasharray={g % 2 ? "6 3" : undefined} />
            );
          }
          return <polygon key={`hull-${g}`} points={h.map(([x, y]) => `${x},${y}`).join(" ")} fill={colour} fillOpacity={0.08} stroke={colour} strokeWidth={2} strokeDasharray={g % 2 ? "6 3" : undefined} strokeLinejoin="round" />;
        })}
        {propositions.map((p) => (
          <g key={p.propositionId} className="map-proposition" tabIndex={0}>
            <title>{`Agreeing with “${propositionText(p.propositionId) ?? "a proposition"}” pulls this way`}</title>
            <line x1={sx(0)} y1={sy(0)} x2={sx(p.x)} y2={sy(p.y)} stroke="#d1d5db" strokeWidth={0.6} />
            <circle cx={sx(p.x)} cy={sy(p.y)} r={2} fill="#9ca3af" />
          </g>
        ))}
        {dots.map((d, i) => {
          const colour = d.groupId === null ? "#888" : GROUP_COLOURS[d.groupId % GROUP_COLOURS.length]!;
          const name = d.participantId && names ? names.get(d.participantId) : undefined;
          return (
            <g key={d.participantId ?? i}>
              {name ? <title>{`${name}${d.groupId === null ? "" : `, ${groupName(d.groupId)}`}`}</title> : null}
              <Marker shape={d.groupId === null ? "none" : GROUP_SHAPES[d.groupId % GROUP_SHAPES.length]!} x={sx(d.x)} y={sy(d.y)} r={r} fill={colour} />
            </g>
          );
        })}
        {you ? (
          <g data-testid="you-are-here">
            <circle cx={sx(you.x)} cy={sy(you.y)} r={r + 7} fill="none" stroke="#111" strokeWidth={2.5} />
            <text x={sx(you.x) > width - 130 ? sx(you.x) - r - 10 : sx(you.x) + r + 10} y={sy(you.y) < 30 ? sy(you.y) + r + 22 : sy(you.y) - r - 6} textAnchor={sx(you.x) > width - 130 ? "end" : "start"} fontSize={14} fontWeight={700} fill="#111" stroke="#fff" strokeWidth={3} paintOrder="stroke">
              You are here
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
              {groupName(g)}: {dots.filter((d) => d.groupId === g).length}
            </li>
          ))}
          {dots.some((d) => d.groupId === null) ? <li>Hollow circles: too few votes to place in a group</li> : null}
          <li>Grey marks: where agreeing with one proposition pulls (hover for its text)</li>
        </ul>
      </figcaption>
    </figure>
  );
}
