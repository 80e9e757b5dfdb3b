import { useId, useState } from "react";
import { decodeJwt } from "../jwt/decode";
import { base64UrlEncode, guessedKey, signHs256 } from "./forge";
import { JwtActor, LabApi, type LabRequest, LabStepFailed, type RecordSink } from "./http";
import { ResultTable } from "./ResultTable";

/** Parses the editor's JSON text; a message for the person typing when it is not an object. */
function parseObject(text: string, part: string): Record<string, unknown> | string {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // told below
  }
  return `The ${part} must be a JSON object.`;
}

/**
 * An editor for a decoded token: load alice's, change anything, sign it again with a key of
 * your choice (WebCrypto HMAC, in this page), and send it to the cart.
 */
export function TokenEditor({ sink }: { sink: RecordSink }) {
  const [header, setHeader] = useState("");
  const [payload, setPayload] = useState("");
  const [signature, setSignature] = useState("");
  const [key, setKey] = useState(guessedKey);
  const [sent, setSent] = useState<LabRequest[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { header: useId(), payload: useId(), signature: useId(), key: useId() };

  const load = async () => {
    setProblem(null);
    try {
      const alice = await JwtActor.login(new LabApi("jwt", sink), "alice", "wonderland42");
      const decoded = decodeJwt(alice.token);
      if (!decoded.ok) throw new LabStepFailed(decoded.reason);
      setHeader(JSON.stringify(decoded.jwt.header, null, 2));
      setPayload(JSON.stringify(decoded.jwt.payload, null, 2));
      setSignature(decoded.jwt.raw.signature);
    } catch (error) {
      if (!(error instanceof LabStepFailed)) throw error;
      setProblem(error.message);
    }
  };

  /** The first two parts as the editor holds them, or a message saying what is wrong. */
  const signingInput = (): string | null => {
    const parsedHeader = parseObject(header, "header");
    const parsedPayload = parseObject(payload, "payload");
    const wrong = [parsedHeader, parsedPayload].find((part) => typeof part === "string");
    if (typeof wrong === "string") {
      setProblem(wrong);
      return null;
    }
    setProblem(null);
    return `${base64UrlEncode(JSON.stringify(parsedHeader))}.${base64UrlEncode(JSON.stringify(parsedPayload))}`;
  };

  const resign = async () => {
    const input = signingInput();
    if (input !== null) setSignature(await signHs256(input, key));
  };

  const send = async () => {
    const input = signingInput();
    if (input === null) return;
    const api = new LabApi("jwt", sink);
    await api.send("GET", "/cart", {
      actor: "you",
      headers: { authorization: `Bearer ${input}.${signature}` },
      identity: { kind: "bearer", text: "Bearer token, edited in the tamper lab" },
      note: "your edited token",
    });
    setSent((before) => [...before, ...api.requests]);
  };

  return (
    <div className="token-editor">
      <h3>Edit a token yourself</h3>
      <p>
        <button type="button" className="secondary" onClick={() => void load()}>
          Log in as alice and load her token
        </button>
      </p>
      <div className="token-editor-fields">
        <label htmlFor={ids.header}>Header (JSON)</label>
        <textarea
          id={ids.header}
          rows={4}
          value={header}
          onChange={(e) => setHeader(e.target.value)}
        />
        <label htmlFor={ids.payload}>Payload (JSON)</label>
        <textarea
          id={ids.payload}
          rows={9}
          value={payload}
          onChange={(e) => setPayload(e.target.value)}
        />
        <label htmlFor={ids.signature}>Signature (base64url)</label>
        <input
          id={ids.signature}
          value={signature}
          onChange={(e) => setSignature(e.target.value)}
        />
        <label htmlFor={ids.key}>Key to sign with (HS256)</label>
        <input id={ids.key} value={key} onChange={(e) => setKey(e.target.value)} />
      </div>
      <p className="token-editor-actions">
        <button type="button" className="secondary" onClick={() => void resign()}>
          Sign with this key
        </button>{" "}
        <button type="button" onClick={() => void send()} disabled={!header || !payload}>
          Send it to the cart
        </button>
      </p>
      {problem && <p role="alert">{problem}</p>}
      {sent.length > 0 && (
        <ResultTable
          title="Your edited tokens"
          rows={[
            {
              key: "editor",
              label: "JWT, your edits",
              mode: "jwt",
              requests: sent,
              verdict: sent.every((request) => request.status === 401)
                ? "Every edit was refused: only the server's key makes a signature it accepts."
                : "At least one was accepted: an unchanged token, or its own signature put back.",
              outcome: sent.every((request) => request.status === 401) ? "refused" : "mixed",
            },
          ]}
        />
      )}
    </div>
  );
}
