import { type TraceEntry, workflowSteps } from "@repo/contract";
import type { RequestRecord } from "../api/client";

const stepLabels = new Map<string, string>(
  [...workflowSteps.session, ...workflowSteps.jwt].map((step) => [step.id, step.label]),
);

/** Trace steps that describe a cookie the server set or cleared: fetch cannot read Set-Cookie. */
export function setCookieEntries(trace: readonly TraceEntry[]): TraceEntry[] {
  const setOrCleared = /set-cookie|cookie cleared|cleared .*cookie|set in an? .*cookie/i;
  return trace.filter(
    (entry) =>
      entry.step === "issue_cookie" || setOrCleared.test(`${entry.action} ${entry.detail ?? ""}`),
  );
}

function statusClass(status: number): string {
  if (status === 0 || status >= 500) return "status-down";
  if (status >= 400) return "status-error";
  return "status-ok";
}

/** One request in the inspector: the summary line, and what proved identity and what the server did. */
export function RequestRow({ record, open }: { record: RequestRecord; open: boolean }) {
  const cookies = setCookieEntries(record.trace);
  return (
    <li className="request-row" data-identity={record.identity.kind}>
      <details open={open}>
        <summary>
          <span className="method">{record.method}</span>
          <span className="path">{record.path}</span>
          <span className={`status ${statusClass(record.status)}`}>
            {record.status === 0 ? "no answer" : record.status}
          </span>
          <span className="ms">{Math.round(record.durationMs)} ms</span>
          {record.retry && <span className="tag">retry</span>}
        </summary>
        <dl>
          <dt>Identity</dt>
          <dd className={`identity identity-${record.identity.kind}`}>{record.identity.text}</dd>
          {record.csrfToken && (
            <>
              <dt>CSRF</dt>
              <dd className="mono">X-CSRF-Token: {record.csrfToken}</dd>
            </>
          )}
          {record.errorCode && (
            <>
              <dt>Error</dt>
              <dd className="mono">{record.errorCode}</dd>
            </>
          )}
          {cookies.length > 0 && (
            <>
              <dt>Set-Cookie</dt>
              <dd>
                <span className="muted">
                  (as the server trace reports it; JavaScript cannot read this header)
                </span>
                <ul className="plain">
                  {cookies.map((entry, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a trace never reorders, so its position is its identity.
                    <li key={`${entry.step}-${index}`} className="mono">
                      {entry.action}
                      {entry.detail ? `: ${entry.detail}` : ""}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
          <dt>Server steps</dt>
          <dd>
            {record.trace.length === 0 ? (
              <span className="muted">none reported</span>
            ) : (
              <ol className="trace">
                {record.trace.map((entry, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a trace never reorders, so its position is its identity.
                  <li key={`${entry.step}-${index}`} data-outcome={entry.outcome}>
                    <strong>{stepLabels.get(entry.step) ?? entry.step}</strong>: {entry.action}
                    {entry.detail && <span className="mono"> ({entry.detail})</span>}
                  </li>
                ))}
              </ol>
            )}
          </dd>
        </dl>
      </details>
    </li>
  );
}

export function RequestLog({ requests }: { requests: readonly RequestRecord[] }) {
  return (
    <section className="panel" aria-labelledby="requests-title">
      <h2 id="requests-title">Requests</h2>
      {requests.length === 0 ? (
        <p className="muted">No requests yet in this mode.</p>
      ) : (
        <ol className="request-log" reversed>
          {requests.map((record, index) => (
            <RequestRow key={record.id} record={record} open={index === 0} />
          ))}
        </ol>
      )}
    </section>
  );
}
