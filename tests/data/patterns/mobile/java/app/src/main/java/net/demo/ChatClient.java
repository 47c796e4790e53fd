package net.demo;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

public class ChatClient {
    private static Presence sPresence = Presence.ONLINE;

    public enum Presence { ONLINE, AWAY }

    public static void away() {
        sPresence = Presence.AWAY;
    }

    void sendPresence() {
        execute("POST", "v1/users/me/presence");
    }

    void sendMessage(String body) {
        execute("POST", "v1/messages");
    }

    void execute(String method, String path) {
        // builds an OkHttp request for the path with the method
    }

    // An OkHttp interceptor with fields and accessors is no data model.
    static class TokenInterceptor implements Interceptor {
        private final String token;
        TokenInterceptor(String token) { this.token = token; }
        public String getToken() { return token; }
        @Override public Response intercept(Chain chain) { return null; }
    }
}
