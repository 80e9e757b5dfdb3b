import type { AuthMode } from "@repo/contract";
import { useEffect, useState } from "react";
import type { ApiError } from "../api/client";
import { describeError } from "./format";

/** Seconds left until `until`, ticking once a second. */
export function useSecondsLeft(untilMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (untilMs === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [untilMs]);
  return untilMs === null ? 0 : Math.max(0, Math.ceil((untilMs - now) / 1000));
}

/** An error as a sentence; a 429 also counts its Retry-After down. */
export function ErrorMessage({
  error,
  mode,
  onDismiss,
}: {
  error: ApiError;
  mode: AuthMode;
  onDismiss?: () => void;
}) {
  const [retryAt] = useState(() =>
    error.retryAfterSeconds ? Date.now() + error.retryAfterSeconds * 1000 : null,
  );
  const secondsLeft = useSecondsLeft(retryAt);
  return (
    <div className="error-message" role="alert" data-code={error.code}>
      <p>
        {describeError(error, mode)}
        {retryAt !== null &&
          (secondsLeft > 0
            ? ` Try again in ${secondsLeft} s (Retry-After).`
            : " You can try again now.")}
      </p>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
