import { type CartLine, maxQuantityPerLine } from "@repo/contract";
import { useEffect } from "react";
import { dataOf, type ModeState, type ModeStore } from "../app/modeStore";
import { Link } from "../app/router";
import { ErrorMessage } from "./ErrorMessage";
import { formatCents } from "./format";

/** The cart as the server holds it, fetched again on every visit. */
export function CartPage({ store, state }: { store: ModeStore; state: ModeState }) {
  const loggedIn = state.auth === "loggedIn";
  useEffect(() => {
    if (loggedIn) void store.loadCart();
  }, [store, loggedIn]);

  if (state.auth === "unknown" || state.auth === "restoring") {
    return <p aria-busy="true">Checking who you are…</p>;
  }
  if (!loggedIn) {
    return (
      <section aria-labelledby="cart-title">
        <h1 id="cart-title">Cart</h1>
        <p className="empty-state">
          No cart to show: the server only knows whose cart it is once you{" "}
          <Link to={{ page: "login", mode: store.mode }}>log in</Link>.
        </p>
      </section>
    );
  }
  const cart = dataOf(state.cart);
  // One change at a time: the next click starts from the cart the server last sent.
  const busy = state.cart.status === "loading";
  return (
    <section aria-labelledby="cart-title" aria-busy={state.cart.status === "loading"}>
      <h1 id="cart-title">Cart</h1>
      {state.cart.status === "error" && <ErrorMessage error={state.cart.error} mode={store.mode} />}
      {!cart && state.cart.status !== "error" && <p className="muted">Loading the cart…</p>}
      {cart && cart.items.length === 0 && (
        <p className="empty-state">
          Your cart is empty.{" "}
          <Link to={{ page: "products", mode: store.mode }}>Browse products</Link>.
        </p>
      )}
      {cart && cart.items.length > 0 && (
        <table className="cart-table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Price</th>
              <th scope="col">Quantity</th>
              <th scope="col">Line total</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {cart.items.map((line) => (
              <CartRow key={line.productId} line={line} store={store} busy={busy} />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Total ({cart.itemCount} {cart.itemCount === 1 ? "item" : "items"})
              </th>
              <td className="cart-total">{formatCents(cart.totalCents)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

function CartRow({ line, store, busy }: { line: CartLine; store: ModeStore; busy: boolean }) {
  return (
    <tr data-product-id={line.productId}>
      <th scope="row">{line.name}</th>
      <td>{formatCents(line.priceCents)}</td>
      <td>
        <div className="quantity">
          <button
            type="button"
            aria-label={`One less ${line.name}`}
            disabled={busy}
            onClick={() => void store.setQuantity(line.productId, line.quantity - 1)}
          >
            −
          </button>
          <output aria-label={`Quantity of ${line.name}`}>{line.quantity}</output>
          <button
            type="button"
            aria-label={`One more ${line.name}`}
            disabled={busy || line.quantity >= maxQuantityPerLine}
            // Adds one on the server, which counts from what it holds (409 past the limit).
            onClick={() => void store.addItem(line.productId, 1)}
          >
            +
          </button>
        </div>
      </td>
      <td>{formatCents(line.lineTotalCents)}</td>
      <td>
        <button
          type="button"
          className="link-button"
          onClick={() => void store.removeItem(line.productId)}
          aria-label={`Remove ${line.name}`}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
