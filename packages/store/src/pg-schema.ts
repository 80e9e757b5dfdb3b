import { maxQuantityPerLine } from "@repo/contract";

/**
 * The shop's tables in PostgreSQL, as numbered steps applied once each (`PgDatabase.migrate`).
 * The same shape as SQLite's; a shipped step is never edited, a change is a new step.
 */
export const shopMigrations: readonly string[] = [
  `
CREATE TABLE users (
  id text PRIMARY KEY,
  username_canonical text NOT NULL UNIQUE,
  username text NOT NULL,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE products (
  id text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  position integer NOT NULL
);

CREATE TABLE cart_items (
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND ${maxQuantityPerLine}),
  PRIMARY KEY (user_id, product_id)
);
`,
  `
ALTER TABLE users
  ADD COLUMN role text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'staff')),
  ADD COLUMN disabled boolean NOT NULL DEFAULT false,
  ADD COLUMN tokens_valid_after_ms bigint NOT NULL DEFAULT 0;
`,
  // Step 3: the login throttle's counters (pg-throttle.ts), here so every instance shares them.
  `
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  attempts integer NOT NULL,
  reset_at_ms bigint NOT NULL
);
CREATE INDEX login_throttle_by_reset ON login_throttle (reset_at_ms);
`,
  // Step 4: the logins' cut-off, apart from the tokens' one (types.ts, Account).
  `
ALTER TABLE users ADD COLUMN logins_valid_after_ms bigint NOT NULL DEFAULT 0;
`,
];
