package net.demo;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

// HttpURLConnection: the URL's method is GET unless the connection sets one.
class NotesDownloader {
    private static final String NOTES_URL = "https://static.demo.net/notes/latest.md";
    private static final String UPLOAD_URL = "https://static.demo.net/notes/upload";
    private static final String HELP_URL = "https://demo.net/help";

    String latest() throws Exception {
        URL url = new URL(NOTES_URL);
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        return read(connection);
    }

    void upload(byte[] body) throws Exception {
        URL url = new URL(UPLOAD_URL);
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setRequestMethod("POST");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
    }

    // a URL shown to the user, never opened here: not a contract
    String helpLink() throws Exception {
        return new URL(HELP_URL).toExternalForm();
    }

    private String read(HttpURLConnection c) { return ""; }
}
