export interface CartItem {
  sku: string;
  quantity: number;
  note?: string;
}

export type CheckoutStep = 'cart' | 'shipping' | 'payment' | 'done';

export async function submit(items: CartItem[]) {
  if (items.length === 0) {
    throw new Error("empty cart");
  }
  const res = await fetch("/api/orders", { method: "POST" });
  return res.json();
}
