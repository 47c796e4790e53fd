package net.demo;

import java.io.IOException;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

// One OkHttp request function taking its HTTP method as a parameter; thin wrappers pass the
// verb and the URL, and the callers give the paths.
public class FeedData {
    private static final String OAUTH_ENDPOINT = "https://oauth.feeds.demo.io";
    private final OkHttpClient httpClient = new OkHttpClient();

    public String vote(String id, int dir) throws IOException {
        String url = OAUTH_ENDPOINT + "/api/vote?id=" + id + "&dir=" + dir;
        return apiPost(url);
    }

    public void unsubscribe(String name) throws IOException {
        apiDelete(OAUTH_ENDPOINT + "/api/subscriptions/" + name);
    }

    public String submit(String title, boolean isLink, String content) throws IOException {
        String url = OAUTH_ENDPOINT + "/api/submit?title=" + title + "&" + (isLink ? "url=" : "text=") + content;
        return apiPost(url);
    }

    private String apiPost(String url) throws IOException {
        return apiRequest(url, "POST");
    }

    private void apiDelete(String url) throws IOException {
        apiRequest(url, "DELETE");
    }

    private String apiRequest(String urlStr, String method) throws IOException {
        Request.Builder builder = new Request.Builder().url(urlStr);
        RequestBody body = RequestBody.create(null, "");
        switch (method) {
            case "POST":
                builder.post(body);
                break;
            case "DELETE":
                builder.delete(body);
                break;
            default:
                builder.get();
        }
        return httpClient.newCall(builder.build()).execute().body().string();
    }
}
