package net.demo;

import com.android.volley.Request;
import com.android.volley.RequestQueue;
import com.android.volley.toolbox.StringRequest;

// A server the user enters, its scheme a variable too (`protocol + "://" + hostname + ...`): the
// path is what follows the host; a local URL given a query at the call (`url + "?filter=" + s`).
public class TorrentClient {
    private final RequestQueue queue;
    private String protocol = "https";
    private String hostname;
    private int port;

    TorrentClient(RequestQueue queue) {
        this.queue = queue;
    }

    void version() {
        String url = protocol + "://" + hostname + ":" + port + "/api/v2/app/version";
        queue.add(new StringRequest(Request.Method.GET, url, r -> { }, e -> { }));
    }

    void torrents(String state) {
        String url = protocol + "://" + hostname + ":" + port + "/api/v2/torrents/info";
        queue.add(new StringRequest(Request.Method.GET, url + "?filter=" + state, r -> { }, e -> { }));
    }
}
