import type { AuthMode } from "@repo/contract";

const choices: { mode: AuthMode; label: string; hint: string }[] = [
  { mode: "session", label: "Session", hint: "cookie" },
  { mode: "jwt", label: "JWT", hint: "bearer token" },
];

/** The always-visible Session | JWT switch: native radios, so arrow keys work for free. */
export function ModeToggle({
  mode,
  onChange,
}: {
  mode: AuthMode;
  onChange: (mode: AuthMode) => void;
}) {
  return (
    <fieldset className="mode-toggle">
      <legend>Authentication mode</legend>
      {choices.map((choice) => (
        <label key={choice.mode} className={choice.mode === mode ? "is-active" : undefined}>
          <input
            type="radio"
            name="auth-mode"
            value={choice.mode}
            checked={choice.mode === mode}
            onChange={() => onChange(choice.mode)}
          />
          <span className="mode-toggle-label">{choice.label}</span>
          <span className="mode-toggle-hint">{choice.hint}</span>
        </label>
      ))}
    </fieldset>
  );
}
