import type { AuthMode } from "@repo/contract";
import type { ApiError } from "../api/client";
import { useNow } from "../inspector/useNow";
import { describeError } from "./format";

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
  return (
    <div className="error-message" role="alert" data-code={error.code}>
      <p>
        {describeError(error, mode)}
        {retryAt !== undefined &&
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
