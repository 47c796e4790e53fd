package net.demo;

// URL templates: Java's String.concat and %d placeholders, an int constant in a path.
public class ShopEndPoints {
    public static final int ORGANIZATION = 7;
    private static final String API_URL = "https://shop.demo.net/";

    public static final String SHOPS = API_URL.concat(ORGANIZATION + "/shops");
    public static final String CART = API_URL.concat("%d/cart");
    public static final String CART_ITEM = API_URL.concat("%d/cart/%d");
    public static final String ORDERS = API_URL.concat("%d/orders");
}
