import { useEffect, useState } from "react";

/**
 * A date or time in the reader's own time zone. The server does not know it,
 * so the first render (server and hydration) shows the UTC value with "UTC",
 * and the local one replaces it after mount: no hydration mismatch.
 * @param iso an ISO 8601 timestamp.
 */
export function LocalTime({ iso, format }: { iso: string; format: "time" | "date" }) {
  const [local, setLocal] = useState(false);
  useEffect(() => setLocal(true), []);
  const date = new Date(iso);
  const options: Intl.DateTimeFormatOptions = format === "time" ? { hour: "2-digit", minute: "2-digit" } : { dateStyle: "medium" };
  const text = local ? date.toLocaleString("en", options) : `${date.toLocaleString("en", { ...options, timeZone: "UTC" })}${format === "time" ? " UTC" : ""}`;
  return (
    <time dateTime={iso} className="muted" title={date.toISOString()}>
      {text}
    </time>
  );
}
