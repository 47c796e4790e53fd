package net.demo;

import com.android.volley.Request;
import com.android.volley.toolbox.StringRequest;

// Volley requests whose URL is a local given String.format(...) just before.
class ShopClient {
    void shops(RequestQueue queue) {
        StringRequest req = new StringRequest(Request.Method.GET, ShopEndPoints.SHOPS, null, null);
        queue.add(req);
    }

    void cart(RequestQueue queue, Shop shop) {
        String url = String.format(ShopEndPoints.CART, shop.getId());
        queue.add(new GsonRequest<>(Request.Method.GET, url, null, Cart.class, null, null));
    }

    void removeItem(RequestQueue queue, Shop shop, long itemId) {
        String url = String.format(ShopEndPoints.CART_ITEM, shop.getId(), itemId);
        queue.add(new JsonRequest(Request.Method.DELETE, url, null, null, null));
    }

    void orders(RequestQueue queue, Shop shop, String next) {
        String url = next;
        if (url == null) {
            url = String.format(ShopEndPoints.ORDERS, shop.getId());
        }
        queue.add(new GsonRequest<>(Request.Method.GET, url, null, Orders.class, null, null));
    }
}
