package net.demo;

// Accessors written for snake_case JSON fields, as some JSON-to-POJO generators write them.
public class TopicBean {
    private String title;
    private String avatar_normal;

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getavatar_normal() {
        return avatar_normal;
    }

    public void setavatar_normal(String avatar_normal) {
        this.avatar_normal = avatar_normal;
    }
}
