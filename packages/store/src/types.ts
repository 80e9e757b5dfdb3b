import type { Cart, Product, Role, User } from "@repo/contract";

/** What a new account needs; the password is hashed before it is stored. */
export interface NewUser {
  username: string;
  password: string;
  displayName: string;
}

export type CreateUserResult =
  | { ok: true; user: Account }
  | { ok: false; reason: "username_taken" | "invalid_username" };

/**
 * A user with what only the server may know about it: never sent as is (`publicUser`).
 * `tokensValidAfterMs`: credentials issued before it (JWT access tokens, with the cut-off on)
 * are refused; 0 means never cut off. It moves strictly forward at every change (to `nowMs`, or
 * 1 ms past its value if that is later), so it is also a version: a JWT carries the value it
 * was signed under, and any other value means a change since. `loginsValidAfterMs`: the logins'
 * cut-off, moved the same way (strictly forward) but only at a password change and "log out
 * everywhere", never at a role change, which a session reads from the store at its next request
 * anyway. It too is a version: a login keeps the value its password was checked under (read with
 * the hash, by `verifyCredentials`), and a later value means the password changed since, or the
 * user logged out everywhere, even while that login was still checking the old password.
 */
export type Account = User & {
  disabled: boolean;
  tokensValidAfterMs: number;
  loginsValidAfterMs: number;
};

/** What staff may change about an account; absent fields stay as they are. */
export interface AccountChange {
  role?: Role;
  disabled?: boolean;
}

/** Accounts and their password hashes. Async so PostgreSQL can implement it later. */
export interface UserStore {
  /** The user behind an id taken from a session or a token; undefined once deleted. */
  findUserById(id: string): Promise<User | undefined>;
  /** The account behind an id, disabled or not; undefined once deleted. */
  findAccountById(id: string): Promise<Account | undefined>;
  /** Every account, by username. */
  listAccounts(): Promise<Account[]>;
  /**
   * Changes the role and/or the disabled flag in one atomic step; undefined for an unknown id.
   * When either actually changes, `tokensValidAfterMs` moves forward to `nowMs` (see Account), so
   * with the cut-off on, tokens that carry the old role or predate the disabling are refused.
   */
  updateAccount(id: string, change: AccountChange, nowMs: number): Promise<Account | undefined>;
  /** Moves both cut-offs to `nowMs`, strictly forward (see Account): "log out everywhere". */
  cutOffTokens(id: string, nowMs: number): Promise<void>;
  /**
   * Replaces the password if `currentPassword` is right, and moves both cut-offs to `nowMs`,
   * strictly forward (older tokens and logins end): the account as saved, whose cut-offs the login that follows
   * keeps. Undefined, changing nothing, if it is wrong (or the account is gone or disabled).
   */
  changePassword(
    id: string,
    currentPassword: string,
    newPassword: string,
    nowMs: number,
  ): Promise<Account | undefined>;
  /** The user with this username, after canonicalising it (NFKC, trimmed, lower case). */
  findUserByUsername(username: string): Promise<User | undefined>;
  /**
   * Checks a username and password. Unknown user and wrong password both give undefined,
   * after the same amount of hashing work, so timing does not tell them apart. A successful
   * login redoes a stored hash made with weaker parameters than the store's. A disabled
   * account is refused the same way, after the same work, as a wrong password. The account
   * comes from the same read as the hash it was checked against, so its cut-offs are the ones
   * this login is checked under: a change saved during the check has moved them (see Account).
   * Never send it as is (`publicUser`).
   */
  verifyCredentials(username: string, password: string): Promise<Account | undefined>;
  /**
   * The account named `username` if `password` is its password, disabled or not: for checks an
   * operator runs (a demo account's public password in production), never for a login, which
   * must refuse a disabled account and keep unknown names as slow as known ones.
   */
  accountWithPassword(username: string, password: string): Promise<Account | undefined>;
  /** Creates a customer: no request can create staff, only the seed or a staff member's change. */
  createUser(input: NewUser): Promise<CreateUserResult>;
}

/** The product list. Products are read-only at run time. */
export interface ProductCatalogue {
  listProducts(): Promise<Product[]>;
  findProduct(id: string): Promise<Product | undefined>;
}

/**
 * `unknown_user`: the account is gone. A JWT backend that trusts its tokens' claims can still
 * hold a valid token for a deleted user; the cart refuses to write for them.
 */
export type CartChange =
  | { ok: true; cart: Cart }
  | { ok: false; reason: "unknown_product" | "quantity_limit" | "unknown_user" };

/**
 * Carts keyed by user id. Every change is one atomic operation in the store, never a
 * read-modify-write in the caller, so 50 concurrent adds of 1 give exactly 50.
 */
export interface CartStore {
  getCart(userId: string): Promise<Cart>;
  /** Adds `quantity` to the line; refuses, changing nothing, if the line would pass 99. */
  addItem(userId: string, productId: string, quantity: number): Promise<CartChange>;
  /** Sets the line to `quantity`; 0 removes it. */
  setItem(userId: string, productId: string, quantity: number): Promise<CartChange>;
  /** Removes the line; removing an absent line is not an error. */
  removeItem(userId: string, productId: string): Promise<Cart>;
  /** The size of every non-empty cart, in one query: for staff, who see no one's lines. */
  listCartSummaries(): Promise<CartSummaryRow[]>;
}

/** One user's cart in numbers: how many items, and what they cost together. */
export interface CartSummaryRow {
  userId: string;
  itemCount: number;
  totalCents: number;
}

/** Everything the shop needs from storage, whatever database is behind it. */
export interface ShopStore {
  readonly kind: "sqlite" | "postgres";
  readonly users: UserStore;
  readonly products: ProductCatalogue;
  readonly carts: CartStore;
  close(): Promise<void>;
}
