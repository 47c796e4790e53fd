package net.demo;

import android.os.Parcel;
import android.os.Parcelable;

import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;

// Public fields read without getters, a derived getter, Comparable and Parcelable boilerplate.
public class Clip implements Comparable<Clip>, Parcelable {
    public String clipId;
    public String created;
    public String videoUrl;

    public Clip() { }

    protected Clip(Parcel in) {
        clipId = in.readString();
        created = in.readString();
        videoUrl = in.readString();
    }

    public Date getCreatedDate() {
        try {
            return new SimpleDateFormat("yyyy-MM-dd", Locale.US).parse(created);
        } catch (ParseException e) {
            return null;
        }
    }

    @Override
    public int compareTo(Clip other) {
        return created.compareTo(other.created);
    }

    @Override
    public int describeContents() {
        return 0;
    }

    @Override
    public void writeToParcel(Parcel dest, int flags) {
        dest.writeString(clipId);
        dest.writeString(created);
        dest.writeString(videoUrl);
    }

    public static final Parcelable.Creator<Clip> CREATOR = new Parcelable.Creator<Clip>() {
        public Clip createFromParcel(Parcel source) {
            return new Clip(source);
        }

        public Clip[] newArray(int size) {
            return new Clip[size];
        }
    };
}
