import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { alice, fakeFetch, json } from "../api/fakeFetch";
import { createAppModel, useModeState } from "../app/model";
import type { ModeStore } from "../app/modeStore";
import { ProductsPage } from "./ProductsPage";

afterEach(cleanup);

/** The page as a logged-in user sees it, re-rendered as the store changes. */
function LoggedIn({ store }: { store: ModeStore }) {
  const state = useModeState(store);
  return <ProductsPage store={store} state={{ ...state, auth: "loggedIn", user: alice }} />;
}

describe("the products page", () => {
  it("names each Add to cart button with its visible words first (label in name)", async () => {
    const { fetch } = fakeFetch(() =>
      json(200, {
        products: [{ id: "tea-mug", name: "Tea mug", description: "Holds tea.", priceCents: 1200 }],
      }),
    );
    const store = createAppModel({ fetch, storage: localStorage }).stores.session;
    render(<LoggedIn store={store} />);
    // Label in Name (WCAG 2.5.3): the accessible name contains the words on the button.
    const button = await screen.findByRole(
      "button",
      { name: /^Add to cart: Tea mug$/ },
      { timeout: 15_000 },
    );
    expect(button.textContent).toBe("Add to cart");
  });
});
