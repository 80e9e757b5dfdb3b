/** A moment in full (date and time, so a 7-day expiry never looks like one of today's). */
const fullDate = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const relative = new Intl.RelativeTimeFormat("en", { numeric: "always" });

/** "in 7 days", "3 min ago": the largest unit that fits, rounded to the nearest. */
export function relativeTime(atMs: number, nowMs: number): string {
  const seconds = Math.round((atMs - nowMs) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, "second");
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86_400), "day");
}

/** An ISO time as "Fri, 11 Dec 2026, 17:20:05 (in 7 days)"; "—" for none. */
export function fullTime(iso: string | null, nowMs: number): string {
  if (!iso) return "—";
  const atMs = Date.parse(iso);
  if (Number.isNaN(atMs)) return iso;
  return `${fullDate.format(atMs)} (${relativeTime(atMs, nowMs)})`;
}
