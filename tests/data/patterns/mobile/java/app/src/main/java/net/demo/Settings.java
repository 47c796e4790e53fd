package net.demo;

public class Settings {
    public enum SwipeMove { NONE, ARCHIVE, SHARE }
}
