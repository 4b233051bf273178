/**
 * One proposition's agree / disagree / unsure tally as a horizontal stacked
 * bar (Recharts). Readable without colour: each segment carries its word and
 * count as a label, the three fills differ in pattern as well as hue, and the
 * same numbers are in a table for screen readers (the chart itself is hidden
 * from them).
 */
import { Bar, BarChart, LabelList, XAxis, YAxis } from "recharts";
import type { VoteTally } from "~/shared/contract";
import { useFormat, useT, type Translate } from "~/i18n/react";

const SEGMENTS = [
  { key: "agree", label: "vote.agree", fill: "url(#pattern-agree)" },
  { key: "disagree", label: "vote.disagree", fill: "url(#pattern-disagree)" },
  { key: "unsure", label: "vote.unsure", fill: "url(#pattern-unsure)" },
] as const;

/** SVG patterns shared by every chart on the page (render once). */
export function ChartPatterns() {
  return (
    <svg width="0" height="0" aria-hidden="true" focusable="false" className="chart-patterns">
      <defs>
        <pattern id="pattern-agree" width="8" height="8" patternUnits="userSpaceOnUse">
          <rect width="8" height="8" fill="#1b7f4b" />
        </pattern>
        <pattern id="pattern-disagree" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="8" height="8" fill="#b3261e" />
          <rect width="3" height="8" fill="#8c1d17" />
        </pattern>
        <pattern id="pattern-unsure" width="8" height="8" patternUnits="userSpaceOnUse">
          <rect width="8" height="8" fill="#6b7280" />
          <circle cx="4" cy="4" r="1.6" fill="#4b5563" />
        </pattern>
      </defs>
    </svg>
  );
}

/** "Agree 3 (50%)" for a segment wide enough to hold it; shorter ("A 3") or nothing otherwise. */
function segmentLabel(t: Translate, vote: (typeof SEGMENTS)[number]["key"], count: number, total: number, width: number): string {
  if (count === 0) return "";
  const long = t("results.tally.long", { vote, count, share: count / total });
  if (width >= long.length * 7.5) return long;
  const short = t("results.tally.short", { vote, count });
  return width >= short.length * 8 ? short : "";
}

/**
 * @param tally the proposition's votes
 * @param width chart width in px (the SVG scales down with CSS)
 * @param height bar height in px (projector mode uses a taller one)
 */
export function TallyChart({ tally, width = 640, height = 44, fontSize = 14 }: { tally: VoteTally; width?: number; height?: number; fontSize?: number }) {
  const t = useT();
  if (tally.total === 0) return <p className="empty">{t("results.tally.none")}</p>;
  const data = [{ name: "votes", agree: tally.agree, disagree: tally.disagree, unsure: tally.unsure }];
  return (
    <div className="tally-chart" aria-hidden="true">
      <BarChart accessibilityLayer={false} width={width} height={height} data={data} layout="vertical" margin={{ top: 0, right: 0, bottom: 0, left: 0 }} barCategoryGap={0}>
        <XAxis type="number" hide domain={[0, tally.total]} />
        <YAxis type="category" dataKey="name" hide />
        {SEGMENTS.map((s) => (
          <Bar key={s.key} dataKey={s.key} stackId="tally" fill={s.fill} stroke="#fff" strokeWidth={1} isAnimationActive={false}>
            <LabelList
              dataKey={s.key}
              position="center"
              fill="#fff"
              fontSize={fontSize}
              fontWeight={700}
              content={(props) => {
                const { x, y, width: w, height: h } = props as { x: number; y: number; width: number; height: number };
                const text = segmentLabel(t, s.key, tally[s.key], tally.total, Number(w));
                if (!text) return null;
                return (
                  <text x={Number(x) + Number(w) / 2} y={Number(y) + Number(h) / 2} textAnchor="middle" dominantBaseline="central" fill="#fff" fontSize={fontSize} fontWeight={700}>
                    {text}
                  </text>
                );
              }}
            />
          </Bar>
        ))}
      </BarChart>
    </div>
  );
}

/** The tally's numbers as a table (for screen readers; visible in projector mode's whole board legend). */
export function TallyTable({ tally, caption, className = "visually-hidden" }: { tally: VoteTally; caption: string; className?: string }) {
  const t = useT();
  const f = useFormat();
  const pct = (n: number) => (tally.total ? f.number(n / tally.total, { style: "percent", maximumFractionDigits: 0 }) : "–");
  return (
    <table className={className}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("results.table.vote")}</th>
          <th scope="col">{t("results.table.count")}</th>
          <th scope="col">{t("results.table.share")}</th>
        </tr>
      </thead>
      <tbody>
        {SEGMENTS.map((s) => (
          <tr key={s.key}>
            <th scope="row">{t(s.label)}</th>
            <td>{f.number(tally[s.key])}</td>
            <td>{pct(tally[s.key])}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t("results.table.all")}</th>
          <td>{f.number(tally.total)}</td>
          <td>{tally.total ? f.number(1, { style: "percent" }) : "–"}</td>
        </tr>
      </tbody>
    </table>
  );
}
