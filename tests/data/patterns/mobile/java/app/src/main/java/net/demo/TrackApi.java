package net.demo;

import java.io.File;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import retrofit2.Call;
import retrofit2.http.GET;
import retrofit2.http.Path;
import rx.Observable;

// One endpoint declared twice (an Rx and a Call variant) is one contract; a download helper
// given its URL as a parameter names no endpoint.
public interface TrackApi {
    @GET("albums/{albumId}/tracks")
    Observable<List<Track>> tracksRx(@Path("albumId") String albumId);

    @GET("albums/{albumId}/tracks")
    Call<List<Track>> tracks(@Path("albumId") String albumId);

    class Downloader {
        private final OkHttpClient client = new OkHttpClient();

        void fetch(String url, File target) {
            Request request = new Request.Builder().url(url).build();
            client.newCall(request);
        }
    }
}
