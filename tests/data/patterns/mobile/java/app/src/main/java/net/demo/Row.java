package net.demo;

import androidx.room.ColumnInfo;
import androidx.room.Entity;
import androidx.room.PrimaryKey;

@Entity(tableName = "rows")
public class Row {
    @PrimaryKey
    public long id;

    @ColumnInfo(name = "row_name")
    public String name;
}
