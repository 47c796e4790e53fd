package net.demo;

import android.os.Parcel;
import android.os.Parcelable;

import org.json.JSONException;
import org.json.JSONObject;

// Public fields, parcelling and a parse(JSONObject) method: data, by its Parcelable.
public class BoardMember implements Parcelable {
    public int id;
    public String username;
    public String avatar;

    public BoardMember() {
    }

    private BoardMember(Parcel in) {
        id = in.readInt();
        username = in.readString();
        avatar = in.readString();
    }

    public void parse(JSONObject json) throws JSONException {
        id = json.getInt("id");
        username = json.getString("username");
        avatar = json.optString("avatar_large");
    }

    @Override
    public int describeContents() {
        return 0;
    }

    @Override
    public void writeToParcel(Parcel dest, int flags) {
        dest.writeInt(id);
        dest.writeString(username);
        dest.writeString(avatar);
    }
}
