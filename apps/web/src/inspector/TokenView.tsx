import { apiPrefix } from "@repo/contract";
import { type TokenStorageKind, tokenStorageTradeOff } from "../api/tokenStore";
import { decodeJwt, secondsUntilExpiry } from "../jwt/decode";
import { RoleClaim } from "../staff/RoleNotes";
import { CopyButton } from "./CopyButton";
import { useNow } from "./useNow";

function formatCountdown(seconds: number): string {
  const abs = Math.abs(seconds);
  const text = `${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
  return seconds >= 0 ? `expires in ${text}` : `expired ${text} ago`;
}

/** `exp` as a live countdown, re-rendered every second. */
function ExpiryCountdown({ payload }: { payload: Record<string, unknown> }) {
  const now = useNow(1000);
  const seconds = secondsUntilExpiry(payload, now);
  if (seconds === null)
    return <span className="warning">no exp claim: this token never expires</span>;
  return (
    <span className={seconds >= 0 ? "countdown" : "countdown expired"} data-testid="exp-countdown">
      {formatCountdown(seconds)}
    </span>
  );
}

/** The access token the client holds, split and decoded the way the usual JWT debugger shows it. */
export function TokenView({ token }: { token: string | null }) {
  if (!token) {
    return (
      <p className="muted">
        No access token held: log in, and the client stores the one it gets back.
      </p>
    );
  }
  const decoded = decodeJwt(token);
  if (!decoded.ok)
    return <p className="warning">This does not look like a JWT: {decoded.reason}</p>;
  const { jwt } = decoded;
  return (
    <div className="token-view">
      <p className="token-raw mono">
        <span className="visually-hidden">Encoded token: </span>
        <span className="jwt-header">{jwt.raw.header}</span>.
        <span className="jwt-payload">{jwt.raw.payload}</span>.
        <span className="jwt-signature">{jwt.raw.signature}</span>
      </p>
      <p className="copy-row">
        <CopyButton text={token} label="Copy the token" />
        <CopyButton
          text={`curl -i ${window.location.origin}${apiPrefix.jwt}/cart -H "Authorization: Bearer ${token}"`}
          label="Copy a curl that replays it"
        />
      </p>
      <div className="jwt-parts">
        <div className="jwt-part jwt-part-header">
          <h3>Header</h3>
          <pre>{JSON.stringify(jwt.header, null, 2)}</pre>
        </div>
        <div className="jwt-part jwt-part-payload">
          <h3>
            Payload <ExpiryCountdown payload={jwt.payload} />
          </h3>
          <pre>{JSON.stringify(jwt.payload, null, 2)}</pre>
          <RoleClaim payload={jwt.payload} />
        </div>
        <div className="jwt-part jwt-part-signature">
          <h3>Signature</h3>
          <p className="mono">
            {String(jwt.header.alg ?? "?")}(base64url(header) + "." + base64url(payload), key)
          </p>
          <p className="muted">
            Anyone can decode the first two parts; only the server's key can make or check this one.
          </p>
        </div>
      </div>
    </div>
  );
}

/** The visible setting: where the JWT client keeps the access token, with its trade-off. */
export function TokenStorageSetting({
  value,
  onChange,
}: {
  value: TokenStorageKind;
  onChange: (kind: TokenStorageKind) => void;
}) {
  return (
    <fieldset className="token-storage">
      <legend>Keep the access token in</legend>
      {(["memory", "localStorage"] as const).map((kind) => (
        <label key={kind}>
          <input
            type="radio"
            name="token-storage"
            value={kind}
            checked={value === kind}
            onChange={() => onChange(kind)}
          />
          <code>{kind === "memory" ? "memory" : "localStorage"}</code>
        </label>
      ))}
      <p className="trade-off">{tokenStorageTradeOff[value]}</p>
    </fieldset>
  );
}
