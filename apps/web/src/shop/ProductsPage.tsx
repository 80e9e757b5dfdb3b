import { useEffect, useState } from "react";
import { dataOf, type ModeState, type ModeStore } from "../app/modeStore";
import { Link } from "../app/router";
import { ErrorMessage } from "./ErrorMessage";
import { formatCents } from "./format";

/** The product list: public, but every visit is a request the inspector shows. */
export function ProductsPage({ store, state }: { store: ModeStore; state: ModeState }) {
  const [added, setAdded] = useState<string | null>(null);
  useEffect(() => {
    void store.loadProducts();
  }, [store]);

  const products = dataOf(state.products);
  const loggedIn = state.auth === "loggedIn";

  async function add(productId: string, name: string) {
    const error = await store.addItem(productId, 1);
    setAdded(error ? null : `Added one ${name} to the cart.`);
  }

  return (
    <section aria-labelledby="products-title">
      <h1 id="products-title">Products</h1>
      {state.products.status === "error" && (
        <ErrorMessage error={state.products.error} mode={store.mode} />
      )}
      {!products && state.products.status !== "error" && (
        <p className="muted" aria-busy="true">
          Loading products…
        </p>
      )}
      {products?.length === 0 && <p className="muted">No products yet: the store is empty.</p>}
      {state.cart.status === "error" && <ErrorMessage error={state.cart.error} mode={store.mode} />}
      <p className="status-line" aria-live="polite">
        {added}
      </p>
      {products && products.length > 0 && (
        <ul className="product-grid">
          {products.map((product) => (
            <li key={product.id} className="product-card" data-product-id={product.id}>
              <h2>{product.name}</h2>
              <p className="product-description">{product.description}</p>
              <p className="price">{formatCents(product.priceCents)}</p>
              {loggedIn ? (
                <button
                  type="button"
                  onClick={() => void add(product.id, product.name)}
                  // The name starts with the words on the button, so "click Add to cart" works
                  // for voice control too (WCAG 2.5.3, Label in Name); the product follows.
                  aria-label={`Add to cart: ${product.name}`}
                >
                  Add to cart
                </button>
              ) : (
                <Link to={{ page: "login", mode: store.mode }} className="button-link secondary">
                  Log in to buy
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
