import type { AuthMode } from "@repo/contract";
import type { ApiError } from "../api/client";
import { ErrorMessage } from "../shop/ErrorMessage";

/** Codes whose server message is about what was typed into the form: shown as the server says. */
const aboutTheForm = new Set<string>(["invalid_request", "invalid_credentials", "username_taken"]);

/**
 * A form's error. The server's own words when they are about the fields (a refused password says
 * which rule it broke), with each field named; anything else (a lock, a stopped backend) as the
 * rest of the shop says it.
 */
export function FormError({ error, mode }: { error: ApiError; mode: AuthMode }) {
  if (!aboutTheForm.has(error.code)) return <ErrorMessage error={error} mode={mode} />;
  const details = error.details.filter((issue) => issue.message !== error.message);
  return (
    <div className="error-message" role="alert" data-code={error.code}>
      <div>
        <p>{error.message}</p>
        {details.length > 0 && (
          <ul className="plain">
            {details.map((issue) => (
              <li key={`${issue.path}: ${issue.message}`}>
                <code>{issue.path}</code>: {issue.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
