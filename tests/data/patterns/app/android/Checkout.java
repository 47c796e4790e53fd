package com.example.checkout;

import java.util.Objects;

public record OrderLine(String sku, int quantity, long priceCents) {}

public class CheckoutService {
    public long charge(OrderLine line) {
        Objects.requireNonNull(line, "line");
        if (line.quantity() <= 0) {
            throw new IllegalArgumentException("quantity");
        }
        return line.priceCents() * line.quantity();
    }
}
