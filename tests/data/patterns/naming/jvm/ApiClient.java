package net.naming;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

// The app's JSON mapper renames every field: the keys on the wire are lower case with underscores
// (Gson puts one before each capital), with no annotation on the fields.
public final class ApiClient {
    static Gson gson() {
        return new GsonBuilder()
                .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                .create();
    }
}
