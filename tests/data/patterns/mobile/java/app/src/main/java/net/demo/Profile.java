package net.demo;

import androidx.annotation.Nullable;
import com.google.auto.value.AutoValue;
import com.google.gson.annotations.SerializedName;

// An AutoValue value type: its properties are its abstract accessors.
@AutoValue
public abstract class Profile implements Parcelable {
    public abstract String email();
    @SerializedName("display_name") public abstract String displayName();
    @Nullable public abstract String bio();

    public static Builder builder() {
        return new AutoValue_Profile.Builder();
    }

    public abstract Builder toBuilder();

    @AutoValue.Builder
    public abstract static class Builder {
        public abstract Builder setEmail(String email);
        public abstract Builder setDisplayName(String displayName);
        public abstract Builder setBio(String bio);
        public abstract Profile build();
    }
}
