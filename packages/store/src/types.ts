import type { Cart, Product, User } from "@repo/contract";

/** What a new account needs; the password is hashed before it is stored. */
export interface NewUser {
  username: string;
  password: string;
  displayName: string;
}

export type CreateUserResult =
  | { ok: true; user: User }
  | { ok: false; reason: "username_taken" | "invalid_username" };

/** Accounts and their password hashes. Async so PostgreSQL can implement it later. */
export interface UserStore {
  /** The user behind an id taken from a session or a token; undefined once deleted. */
  findUserById(id: string): Promise<User | undefined>;
  /** The user with this username, after canonicalising it (NFKC, trimmed, lower case). */
  findUserByUsername(username: string): Promise<User | undefined>;
  /**
   * Checks a username and password. Unknown user and wrong password both give undefined,
   * after the same amount of hashing work, so timing does not tell them apart. A successful
   * login redoes a stored hash made with weaker parameters than the store's.
   */
  verifyCredentials(username: string, password: string): Promise<User | undefined>;
  createUser(input: NewUser): Promise<CreateUserResult>;
}

/** The product list. Products are read-only at run time. */
export interface ProductCatalogue {
  listProducts(): Promise<Product[]>;
  findProduct(id: string): Promise<Product | undefined>;
}

export type CartChange =
  | { ok: true; cart: Cart }
  | { ok: false; reason: "unknown_product" | "quantity_limit" };

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
}

/** Everything the shop needs from storage, whatever database is behind it. */
export interface ShopStore {
  readonly kind: "sqlite" | "postgres";
  readonly users: UserStore;
  readonly products: ProductCatalogue;
  readonly carts: CartStore;
  close(): Promise<void>;
}
