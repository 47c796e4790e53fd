package net.demo;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

// HttpURLConnection with its method given as an enum constant's name.
public class WorkoutUploader {
    enum RequestMethod { GET, POST, PUT }

    private static final String UPLOAD_URL = "https://content.workouts.demo.io/2/files/upload";

    int upload(byte[] data) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) new URL(UPLOAD_URL).openConnection();
        conn.setDoOutput(true);
        conn.setRequestMethod(RequestMethod.POST.name());
        conn.getOutputStream().write(data);
        return conn.getResponseCode();
    }
}
