package net.demo;

import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

// A download helper given a path relative to the server: its call sites give the endpoints, with
// a literal or a constant; a second helper hands its own path parameter on to the first.
public class StationFetcher {
    private static final String SERVER = "https://radio.demo.org/";
    static final String COUNTRIES = "json/countries";
    private final OkHttpClient client = new OkHttpClient();

    public String downloadRelative(Object context, String relativePath) throws IOException {
        Request request = new Request.Builder().url(SERVER + relativePath).build();
        try (Response response = client.newCall(request).execute()) {
            return response.body().string();
        }
    }

    public String fetchJson(String path) throws IOException {
        return downloadRelative(null, path);
    }

    public void refresh(Object context) throws IOException {
        downloadRelative(context, "json/stations/topvote");
        downloadRelative(context, COUNTRIES);
        fetchJson("json/tags");
    }
}

// A static download helper given a URL, called with locals that hold literal URLs.
class LyricsSource {
    static String getUrlAsString(String paramURL) throws java.io.IOException {
        okhttp3.Request request = new okhttp3.Request.Builder().url(paramURL).build();
        return new okhttp3.OkHttpClient().newCall(request).execute().body().string();
    }

    String search(String artist) throws java.io.IOException {
        String url = "http://api.lyrics.demo.net/v1/search?artist=" + artist;
        return getUrlAsString(url);
    }
}
