package net.demo;

import com.google.gson.annotations.Expose;
import com.google.gson.annotations.SerializedName;

public class User {
    @SerializedName("user_name")
    private String name;
    @Expose
    private int age;
    private static final long serialVersionUID = 1L;

    public String getName() { return name; }

    public void greet() { System.out.println(name); }
}
