package net.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

public class Catalog {
    private List<Item> items;
    private String title;

    public Catalog(List<Item> items, String title) {
        this.items = items;
        this.title = title;
    }

    public List<Item> getItems() { return items; }

    public String getTitle() { return title; }

    @Override
    public String toString() { return title; }

    public static class Item {
        @JsonProperty("item_id")
        String id;
        double price;
    }
}
