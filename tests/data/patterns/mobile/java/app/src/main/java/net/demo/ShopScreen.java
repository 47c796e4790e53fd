package net.demo;

import com.android.volley.Request;

// The same endpoint built again in another screen: still one contract.
class ShopScreen {
    void refresh(RequestQueue queue, Shop shop) {
        String url = String.format(ShopEndPoints.CART, shop.getId());
        queue.add(new GsonRequest<>(Request.Method.GET, url, null, Cart.class, null, null));
    }
}
