package net.demo;

import lombok.Getter;
import lombok.Setter;

// Lombok generates the accessors; the class still has behaviour of its own.
public class Episode {
    @Getter
    @Setter
    private int number;
    @Getter
    private String airDate;

    public boolean airsAfter(String date) {
        return airDate != null && airDate.compareTo(date) > 0;
    }
}
