import type { AuthMode } from "@repo/contract";
import type { ApiError } from "../api/client";
import { useNow } from "../inspector/useNow";
import { describeError } from "./format";

/** A wait as people say it: "15 min" while minutes remain, then seconds. */
export function formatWait(seconds: number): string {
  return seconds >= 60 ? `${Math.ceil(seconds / 60)} min` : `${seconds} s`;
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
  const retryAt = error.retryAtMs;
  // Ticks only while seconds remain; the answer carried the moment, so a re-render stays right.
  const now = useNow(1000, retryAt !== undefined && retryAt > Date.now());
  const secondsLeft = retryAt === undefined ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));
  const wait = formatWait(secondsLeft);
  return (
    <div className="error-message" role="alert" data-code={error.code}>
      <p>
        {describeError(error, mode)}
        {retryAt !== undefined &&
          (secondsLeft > 0 ? ` Try again in ${wait} (Retry-After).` : " You can try again now.")}
      </p>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
