package net.demo;

import com.androidnetworking.AndroidNetworking;
import dagger.Module;
import org.greenrobot.greendao.annotation.Property;

public class Feed {
    public void load() {
        AndroidNetworking.get(ApiPaths.BASE + "/feed").build();
    }

    public static class Article {
        @Property(nameInDb = "body_text")
        private String body;
        private transient Object cache;

        public String getBody() { return body; }
    }
}

@Module
class NetModule {
    private final String base;

    NetModule(String base) { this.base = base; }
}
