import { type LabRequest, serverDid } from "./http";
import { type LabRow, statusText } from "./lab";

/** Requests in a row, with runs of the same request (50 adds at once) shown once, counted. */
export interface RequestGroup {
  request: LabRequest;
  count: number;
}

export function groupRequests(requests: readonly LabRequest[]): RequestGroup[] {
  const groups: RequestGroup[] = [];
  const same = (a: LabRequest, b: LabRequest) =>
    a.method === b.method &&
    a.path === b.path &&
    a.status === b.status &&
    a.errorCode === b.errorCode &&
    a.actor === b.actor &&
    a.note === b.note &&
    a.instance === b.instance;
  for (const request of requests) {
    const last = groups.at(-1);
    if (last && same(last.request, request)) last.count += 1;
    else groups.push({ request, count: 1 });
  }
  return groups;
}

function statusClass(request: LabRequest): string {
  if (request.opaque) return "status-ok";
  if (request.status === 0 || request.status >= 500) return "status-down";
  return request.status >= 400 ? "status-error" : "status-ok";
}

function RequestLine({ group, instances }: { group: RequestGroup; instances: boolean }) {
  const { request, count } = group;
  return (
    <li
      className="lab-request"
      data-status={request.status}
      data-code={request.errorCode ?? ""}
      data-actor={request.actor ?? ""}
    >
      <span className="lab-request-line">
        {count > 1 && <span className="lab-count">{count} × </span>}
        {request.actor && <span className="lab-actor">{request.actor}</span>}{" "}
        <code>
          {request.method} {request.path}
        </code>{" "}
        <span className={`status ${statusClass(request)}`}>{statusText(request)}</span>
        {instances && request.instance && <span className="tag">instance {request.instance}</span>}
      </span>
      {request.note && <span className="lab-note">{request.note}</span>}
      {request.trace.length > 0 && (
        <span className="lab-server-did">server: {serverDid(request.trace)}</span>
      )}
    </li>
  );
}

/** A lab's result: one row per backend mode, its real requests and its verdict. */
export function ResultTable({
  title,
  rows,
  instances = false,
}: {
  title: string;
  rows: readonly LabRow[];
  /** Name the instance that answered each request (`X-Instance`): the scale-out lab's point. */
  instances?: boolean;
}) {
  return (
    // It may scroll sideways in a narrow column, so it takes the focus to scroll with the keys.
    <section
      className="lab-table-wrap"
      aria-label={`${title}: results`}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region needs keyboard access
      tabIndex={0}
    >
      <table className="lab-table">
        <caption className="visually-hidden">{title}: what each mode did</caption>
        <thead>
          <tr>
            <th scope="col">Mode</th>
            <th scope="col">Requests made, and what the server did</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-row={row.key} data-outcome={row.outcome}>
              <th scope="row">{row.label}</th>
              <td>
                <ol className="lab-requests">
                  {groupRequests(row.requests).map((group, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the list is rebuilt whole for each run and never reordered.
                    <RequestLine key={index} group={group} instances={instances} />
                  ))}
                </ol>
              </td>
              <td className="lab-verdict" data-testid="verdict">
                {row.verdict}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
