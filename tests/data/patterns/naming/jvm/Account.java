package net.naming;

import com.google.gson.annotations.SerializedName;

// userName -> user_name, avatarURL -> avatar_u_r_l (Gson's rule), id unchanged; an annotation wins.
public class Account {
    private String id;
    private String userName;
    private String avatarURL;
    @SerializedName("e_mail")
    private String email;

    public String getId() { return id; }
    public String getUserName() { return userName; }
    public String getAvatarURL() { return avatarURL; }
    public String getEmail() { return email; }
}
