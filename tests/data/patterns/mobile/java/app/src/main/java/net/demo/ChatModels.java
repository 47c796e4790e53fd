package net.demo;

import com.google.gson.annotations.SerializedName;
import com.j256.ormlite.field.DatabaseField;
import com.j256.ormlite.table.DatabaseTable;

// ORMLite entity: the column names are wire names.
@DatabaseTable(tableName = "messages")
public class ChatMessage {
    public static final String READ_FIELD = "read";
    @DatabaseField(id = true)
    private int id;
    @DatabaseField(columnName = READ_FIELD)
    private boolean messageRead;
    @SerializedName("sender_email")
    @DatabaseField(columnName = "sender")
    private String senderEmail;

    public int getId() { return id; }
    public boolean isMessageRead() { return messageRead; }
    public String getSenderEmail() { return senderEmail; }

    // A private helper of the class around it: not part of the data model.
    private static class Range {
        int start;
        int end;
        Range(int start, int end) { this.start = start; this.end = end; }
    }
}
