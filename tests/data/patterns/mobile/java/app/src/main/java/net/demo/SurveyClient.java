package net.demo;

import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;

// The constants get only a query at the request: each is its endpoint's whole URL.
public class SurveyClient {
    private final OkHttpClient client = new OkHttpClient();

    public void ranking(long first, Callback cb) {
        Request request = new Request.Builder()
                .url(SurveyUrls.RANKING_URL + "?first=" + first + "&last=" + (first + 100))
                .build();
        client.newCall(request).enqueue(cb);
    }

    public void search(final String encodedQuery, Callback cb) {
        final String httpUrl = SurveyUrls.SEARCH_URL + "?" + encodedQuery;
        Request request = new Request.Builder()
                .url(httpUrl)
                .build();
        client.newCall(request).enqueue(cb);
    }
}
