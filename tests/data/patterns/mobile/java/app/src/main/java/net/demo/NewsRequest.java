package net.demo;

import com.android.volley.Request;
import com.android.volley.Response;

// A Volley request subclass whose constructor hands its URL to super(Method.GET, url, ...): its
// callers give the URL, here through a function that only returns a URL built from a constant.
public class NewsRequest extends Request<String> {
    public static final String URL_NEWS = "https://news.demo.net/api/v2/news?page=";

    public static String getUrlNews(int page) {
        return URL_NEWS + page;
    }

    public NewsRequest(String url, Response.ErrorListener errorListener) {
        super(Method.GET, url, errorListener);
    }

    static void load(int page, Response.ErrorListener onError) {
        new NewsRequest(getUrlNews(page), onError);
    }
}
