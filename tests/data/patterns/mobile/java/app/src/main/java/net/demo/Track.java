package net.demo;

import com.google.gson.annotations.SerializedName;

// A Gson model whose fields share declarations.
public class Track {
    @SerializedName("track_title")
    private String title;
    private long start, end;

    public String getTitle() { return title; }
    public long getStart() { return start; }
    public long getEnd() { return end; }
    public String getDisplayedTitle(boolean upperCase) { return upperCase ? title.toUpperCase() : title; }
}
