import { type TraceEntry, workflowSteps } from "@repo/contract";
import { useId } from "react";
import type { RequestRecord } from "../api/client";
import { OutcomeMark } from "./OutcomeMark";

const stepLabels = new Map<string, string>(
  [...workflowSteps.session, ...workflowSteps.jwt].map((step) => [step.id, step.label]),
);

/** A Set-Cookie header as the server trace reports it: `name=…; Path=...; ...`. */
const setCookieDetail = /^[\w.-]+=[^;]*(;|$)/;

/**
 * Trace steps that report a cookie the server set or cleared, with its Set-Cookie attributes as
 * sent (the trace hides the value): fetch cannot read Set-Cookie, so this is the only way to see it.
 */
export function setCookieEntries(trace: readonly TraceEntry[]): TraceEntry[] {
  return trace.filter((entry) => entry.detail !== undefined && setCookieDetail.test(entry.detail));
}

/** A cookie's value is empty and its expiry in the past: the browser deletes it. */
function clears(detail: string): boolean {
  return /^[\w.-]+=;/.test(detail) || /Max-Age=0\b|Expires=Thu, 01 Jan 1970/.test(detail);
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
          {record.instance && (
            // Several instances may answer one address: which one did (its X-Instance header).
            <span className="tag instance" title="Which instance answered (X-Instance)">
              <span className="visually-hidden">answered by instance </span>
              {record.instance}
            </span>
          )}
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
                <ul className="plain set-cookies">
                  {cookies.map((entry, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a trace never reorders, so its position is its identity.
                    <li key={`${entry.step}-${index}`} data-clears={clears(entry.detail ?? "")}>
                      <span className="set-cookie-what">
                        {clears(entry.detail ?? "") ? "clears" : "sets"}: {entry.action}
                      </span>
                      <code className="set-cookie-raw">Set-Cookie: {entry.detail}</code>
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
                    <OutcomeMark outcome={entry.outcome} />{" "}
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

export function RequestLog({
  requests,
  headingLevel = 2,
}: {
  requests: readonly RequestRecord[];
  headingLevel?: 2 | 3;
}) {
  const titleId = useId();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="panel" aria-labelledby={titleId}>
      <Heading id={titleId}>Requests</Heading>
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
