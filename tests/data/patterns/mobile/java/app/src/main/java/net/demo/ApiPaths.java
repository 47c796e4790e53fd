package net.demo;

public final class ApiPaths {
    public static final String BASE = "https://api.demo.net";
    public static final String LOGIN_PATH = "login";
    static final String USERS = "/users";

    private ApiPaths() {}
}
