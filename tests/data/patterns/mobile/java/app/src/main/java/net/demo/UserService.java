package net.demo;

import retrofit2.Call;
import retrofit2.http.GET;
import retrofit2.http.Path;

public interface UserService {
    @GET(ApiPaths.USERS + "/{id}")
    Call<User> user(@Path("id") String id);
}
