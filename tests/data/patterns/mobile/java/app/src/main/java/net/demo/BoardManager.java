package net.demo;

import android.content.Context;

import com.loopj.android.http.AsyncHttpClient;
import com.loopj.android.http.RequestParams;
import com.loopj.android.http.TextHttpResponseHandler;

// Android Asynchronous Http Client (loopj): requests with and without a Context argument,
// URLs from a base function, constants, String.format and a wrapper given concatenations.
public class BoardManager {
    private static final String API_BASE = "https://board.demo.org/api";
    private static final String SITE_BASE = "https://board.demo.org";
    private static final String API_LATEST = "/threads/latest.json";
    private static final String API_THREAD = "/threads/show.json";
    public static final String LOGIN_URL = SITE_BASE + "/signin";

    public static String apiBase() {
        return API_BASE;
    }

    public static void latest(Context ctx, TextHttpResponseHandler handler) {
        fetchThreads(ctx, apiBase() + API_LATEST, handler);
    }

    public static void thread(Context ctx, int id, TextHttpResponseHandler handler) {
        fetchThreads(ctx, apiBase() + API_THREAD + "?id=" + id, handler);
    }

    private static void fetchThreads(Context ctx, String urlString, TextHttpResponseHandler handler) {
        new AsyncHttpClient().get(ctx, urlString, handler);
    }

    public static void member(Context ctx, String name, int page, TextHttpResponseHandler handler) {
        String urlString = String.format("%s/member/%s/threads?p=%d", SITE_BASE, name, page);
        AsyncHttpClient client = new AsyncHttpClient();
        client.get(urlString, handler);
    }

    public static void login(Context ctx, RequestParams params, TextHttpResponseHandler handler) {
        AsyncHttpClient client = new AsyncHttpClient();
        client.post(ctx, LOGIN_URL, params, handler);
    }

    public static void reply(Context ctx, int threadId, RequestParams params, TextHttpResponseHandler handler) {
        getClient(ctx).post(SITE_BASE + "/t/" + threadId, params, handler);
    }

    private static AsyncHttpClient getClient(Context ctx) {
        return new AsyncHttpClient();
    }
}
