import { useEffect, useState } from "react";
import { useFormat } from "~/i18n/react";

/**
 * A date or time in the reader's own time zone and the page's language (Intl).
 * The server does not know the zone, so the first render (server and
 * hydration) shows the UTC value with "UTC", and the local one replaces it
 * after mount: no hydration mismatch.
 * @param iso an ISO 8601 timestamp.
 */
export function LocalTime({ iso, format }: { iso: string; format: "time" | "date" }) {
  const [local, setLocal] = useState(false);
  const f = useFormat();
  useEffect(() => setLocal(true), []);
  const date = new Date(iso);
  const options: Intl.DateTimeFormatOptions = format === "time" ? { hour: "2-digit", minute: "2-digit" } : { dateStyle: "medium" };
  const text = local ? f.date(date, options) : `${f.date(date, { ...options, timeZone: "UTC" })}${format === "time" ? " UTC" : ""}`;
  return (
    <time dateTime={iso} className="muted" title={date.toISOString()}>
      {text}
    </time>
  );
}
