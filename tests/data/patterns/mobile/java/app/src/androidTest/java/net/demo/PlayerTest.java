package net.demo;

public class PlayerTest {
    public enum TestState { A, B }
}
