package net.demo;

import androidx.annotation.NonNull;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

public class AuthClient {
    private static final String ITEMS = "/items";
    private final OkHttpClient client = new OkHttpClient();

    // new Request.Builder().url("/commented/out").delete() is not code
    public void login(@NonNull RequestBody body) {
        HttpUrl url = HttpUrl.parse(ApiPaths.BASE).newBuilder()
                .addPathSegment("auth")
                .addPathSegment(ApiPaths.LOGIN_PATH)
                .build();
        Request request = new Request.Builder()
                .url(url)
                .header("Accept", "application/json")
                .post(body)
                .build();
        client.newCall(request);
    }

    public void user(String id) {
        Request request = new Request.Builder().url(ApiPaths.BASE + ApiPaths.USERS + "/" + id).build();
        client.newCall(request);
    }

    public void removeItem(long itemId) {
        Request request = new Request.Builder()
                .url(ApiPaths.BASE + ITEMS + "/" + itemId)
                .delete()
                .build();
        client.newCall(request);
    }
}
